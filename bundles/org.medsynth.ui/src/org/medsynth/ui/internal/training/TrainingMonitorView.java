package org.medsynth.ui.internal.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.part.ViewPart;
import org.medsynth.core.api.TrainingProgress;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.jobs.JobFamilies;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.core.jobs.TrainingJob.LossPoint;
import org.medsynth.ui.MedSynthUi;
import org.medsynth.ui.internal.chart.LineChart;
import org.medsynth.ui.internal.viewer.Thumbnails;

/**
 * The loss curve and the latest sample of the training job scheduled last (or running when the view opens), live.
 * Reports arrive on the training thread and are drawn in batches on the UI thread, so a fast trainer never floods
 * it. The trainer's speed is shown as "step N/M · X it/s · ETA". A cancelled or failed run can be resumed from its
 * newest checkpoint.
 */
public class TrainingMonitorView extends ViewPart {
    private static final int PREVIEW_SIZE = 256;

    private final List<LossPoint> pending = new ArrayList<>();
    private final List<LossPoint> shown = new ArrayList<>();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile ImageData pendingSample;
    private volatile String sampleText = "";
    private volatile String pendingRate;
    private Display display;
    private LineChart chart;
    private Canvas preview;
    private Image sample;
    private Label status;
    private Label sampleLabel;
    private Label rate;
    private Button resume;
    private TrainingJob watched;
    private final TrainingProgress listener = new TrainingProgress() {
        @Override
        public void step(int step, double loss) {
            synchronized (pending) {
                pending.add(new LossPoint(step, loss));
            }
            queueRefresh();
        }

        @Override
        public void rate(int step, int totalSteps, double stepsPerSecond, double secondsLeft) {
            pendingRate = rateText(step, totalSteps, stepsPerSecond, secondsLeft);
            queueRefresh();
        }

        @Override
        public void sample(int step, String description, MedicalImage<?> image) {
            pendingSample = Thumbnails.render(image, PREVIEW_SIZE); // on the training thread, not the UI's
            sampleText = "Step " + step + ": " + description;
            queueRefresh();
        }
    };
    private final IJobChangeListener jobs = new JobChangeAdapter() {
        @Override
        public void scheduled(IJobChangeEvent event) {
            if (event.getJob() instanceof TrainingJob job) {
                onUi(() -> watch(job));
            }
        }

        @Override
        public void done(IJobChangeEvent event) {
            if (event.getJob() == watched) {
                onUi(() -> finished(event.getResult()));
            }
        }
    };

    @Override
    public void createPartControl(Composite parent) {
        display = parent.getDisplay();
        Composite top = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().margins(2, 2).applyTo(top);
        Composite bar = new Composite(top, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(3).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        resume = new Button(bar, SWT.PUSH);
        resume.setText("&Resume from checkpoint");
        resume.setToolTipText("Continue the stopped run from its newest checkpoint, with the same settings");
        resume.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.TRAINING_RESUME);
        resume.setEnabled(false);
        resume.addListener(SWT.Selection, e -> resumeWatched());
        status = new Label(bar, SWT.NONE);
        status.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.TRAINING_STATUS);
        status.setText("No training job yet: start one (e.g. medsynth train, or a trainer from another view).");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(status);
        rate = new Label(bar, SWT.RIGHT);
        rate.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.TRAINING_RATE);
        rate.setToolTipText("Steps done of all steps, steps per second so far in this run, and the estimated time left");
        GridDataFactory.fillDefaults().hint(260, SWT.DEFAULT).applyTo(rate);

        SashForm sash = new SashForm(top, SWT.HORIZONTAL);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(sash);
        chart = new LineChart(sash);
        chart.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.TRAINING_CHART);
        chart.setLabels("Training loss", "step", "loss");
        Composite right = new Composite(sash, SWT.NONE);
        GridLayoutFactory.fillDefaults().applyTo(right);
        sampleLabel = new Label(right, SWT.WRAP);
        sampleLabel.setText("Latest sample");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(sampleLabel);
        preview = new Canvas(right, SWT.DOUBLE_BUFFERED);
        preview.setData(MedSynthUi.WIDGET_KEY, MedSynthUi.TRAINING_SAMPLE);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(preview);
        preview.addListener(SWT.Paint, e -> {
            Rectangle area = preview.getClientArea();
            e.gc.setBackground(display.getSystemColor(SWT.COLOR_BLACK));
            e.gc.fillRectangle(area);
            if (sample != null) {
                Rectangle size = sample.getBounds();
                e.gc.drawImage(sample, (area.width - size.width) / 2, (area.height - size.height) / 2);
            }
        });
        sash.setWeights(3, 2);
        Job.getJobManager().addJobChangeListener(jobs);
        for (Job job : Job.getJobManager().find(JobFamilies.TRAINING)) {
            if (job instanceof TrainingJob training) {
                watch(training);
                break;
            }
        }
    }

    private void onUi(Runnable action) {
        if (!display.isDisposed()) {
            display.asyncExec(() -> {
                if (!chart.isDisposed()) {
                    action.run();
                }
            });
        }
    }

    /**
     * Follows {@code job} from now on: what it reported so far, then each new report. The curve drawn so far stays when
     * the job resumes the one followed before (a resumed run reports only the steps after its checkpoint).
     */
    public void watch(TrainingJob job) {
        if (job == watched) {
            return;
        }
        boolean continues = watched != null && job.continues(watched);
        if (watched != null) {
            watched.removeProgressListener(listener);
        }
        synchronized (pending) {
            pending.clear();
        }
        if (!continues) {
            shown.clear();
        }
        pendingSample = null;
        pendingRate = null;
        rate.setText("");
        if (sample != null) {
            sample.dispose();
            sample = null;
        }
        watched = job;
        resume.setEnabled(false);
        status.setText(job.getName() + ": waiting for the first step…");
        job.addProgressListener(listener);
        if (job.getResult() != null) {
            finished(job.getResult());
        }
        refresh();
    }

    /** The job followed now, or null. */
    public TrainingJob watched() {
        return watched;
    }

    /** The loss points drawn so far. */
    public List<LossPoint> shownLosses() {
        return List.copyOf(shown);
    }

    /** The speed shown ("step N/M · X it/s · ETA h:mm:ss"), empty before the trainer's first report. */
    public String rateText() {
        return rate.getText();
    }

    /**
     * "step 5/100 · 2.50 it/s · ETA 0:38": the step of all steps, steps per second (3 significant digits) and the time
     * left as m:ss, or h:mm:ss from an hour; "ETA –" while it is not known (no finite estimate yet).
     */
    public static String rateText(int step, int totalSteps, double stepsPerSecond, double secondsLeft) {
        String eta;
        if (Double.isFinite(secondsLeft) && secondsLeft >= 0) {
            long seconds = Math.round(secondsLeft);
            eta = seconds >= 3600
                    ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                    : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        } else {
            eta = "–";
        }
        return String.format(Locale.ROOT, "step %d/%d · %.3g it/s · ETA %s", step, totalSteps, stepsPerSecond, eta);
    }

    /** Whether a sample preview is shown. */
    public boolean showsSample() {
        return sample != null;
    }

    private void queueRefresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            onUi(this::refresh);
        }
    }

    private void refresh() {
        refreshQueued.set(false);
        synchronized (pending) {
            for (LossPoint point : pending) {
                // a resumed run repeats the steps after its checkpoint: its values replace the stopped run's
                while (!shown.isEmpty() && shown.get(shown.size() - 1).step() >= point.step()) {
                    shown.remove(shown.size() - 1);
                }
                shown.add(point);
            }
            pending.clear();
        }
        double[] steps = shown.stream().mapToDouble(LossPoint::step).toArray();
        double[] losses = shown.stream().mapToDouble(LossPoint::loss).toArray();
        chart.setSeries(shown.isEmpty() ? List.of() : List.of(new LineChart.Series("loss", steps, losses, false)));
        if (!shown.isEmpty() && watched != null && watched.getResult() == null) {
            LossPoint last = shown.get(shown.size() - 1);
            status.setText(String.format(Locale.ROOT, "%s: step %d, loss %.6g", watched.getName(), last.step(),
                    last.loss()));
        }
        String nextRate = pendingRate;
        if (nextRate != null) {
            pendingRate = null;
            rate.setText(nextRate);
        }
        ImageData next = pendingSample;
        if (next != null) {
            pendingSample = null;
            if (sample != null) {
                sample.dispose();
            }
            sample = new Image(display, next);
            sampleLabel.setText(sampleText);
            preview.redraw();
        }
    }

    private void finished(IStatus result) {
        refresh();
        String outcome = result.isOK() ? "finished" : result.getSeverity() == IStatus.CANCEL ? "cancelled"
                : "failed: " + result.getMessage();
        status.setText(watched.getName() + " " + outcome + (shown.isEmpty() ? ""
                : String.format(Locale.ROOT, " at step %d (loss %.6g)", shown.get(shown.size() - 1).step(),
                        shown.get(shown.size() - 1).loss())));
        resume.setEnabled(!result.isOK());
    }

    private void resumeWatched() {
        TrainingJob next = watched.resumed();
        next.schedule(); // the scheduled event makes this view follow it
        resume.setEnabled(false);
    }

    @Override
    public void setFocus() {
        (resume.isEnabled() ? resume : chart).setFocus();
    }

    @Override
    public void dispose() {
        Job.getJobManager().removeJobChangeListener(jobs);
        if (watched != null) {
            watched.removeProgressListener(listener);
        }
        if (sample != null) {
            sample.dispose();
        }
        super.dispose();
    }
}
