package org.medsynth.core.api;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Contract of the {@code org.medsynth.core.trainers} extension point: a resumable, checkpointed training recipe.
 * Checkpoints go to {@link TrainingRequest#checkpointDir()} (written atomically); the final weights and model card go
 * to {@link TrainingRequest#outputDir()}, the job's staging folder.
 */
public interface Trainer {
    TrainingResult train(TrainingRequest request, IProgressMonitor monitor) throws CoreException;
}
