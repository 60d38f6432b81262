package org.medsynth.ui.tests;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.medsynth.core.api.Trainer;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;

/**
 * Reports a loss and the speed {@link TrainingMonitorRateTest} expects through the job's real reporting path, then
 * stays running (so the monitor shows a live run) until the test cancels it. The speed is reported again every few
 * milliseconds, as a trainer reports it each step: a monitor that attaches after a report gets only the next one.
 */
public class RateReportingTestTrainer implements Trainer {
    @Override
    public TrainingResult train(TrainingRequest request, IProgressMonitor monitor) {
        request.progress().step(3, 0.25);
        while (!monitor.isCanceled()) {
            request.progress().rate(3, 12, 2.5, 3.6);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new OperationCanceledException();
    }
}
