package org.medsynth.ui.internal.viewer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Display;

/**
 * Plays a viewer's images as a film, looping: the time frames of a 3D+t image ({@link ViewerState#frames()}), else the
 * slices of one plane. A job renders each next frame for the panes it changes ({@link SlicePane#prepare}) and hands it
 * to the UI thread, which only swaps it in and repaints. A frame the UI thread has not taken yet is never followed by
 * another: a slow display slows the film down instead of flooding the event queue. Control methods: UI thread only.
 */
public final class Cine {
    public static final int DEFAULT_FRAMES_PER_SECOND = 10;
    public static final int MAX_FRAMES_PER_SECOND = 60;

    /** The position the viewer shows, copied on the UI thread for the playing job. */
    private record Shown(int[] cursor, int frame, ViewerState.Look look) {
    }

    private final ViewerState state;
    private final List<SlicePane> panes;
    private final Display display;
    private final Runnable track = this::track;
    private final AtomicBoolean framePending = new AtomicBoolean();
    private final List<Runnable> playingChanged = new ArrayList<>();
    private volatile Shown shown;
    private volatile int framesPerSecond = DEFAULT_FRAMES_PER_SECOND;
    private Plane plane = Plane.AXIAL;
    private Job player;

    /** A cine over {@code panes}, all showing {@code state}. */
    public Cine(ViewerState state, List<SlicePane> panes, Display display) {
        this.state = state;
        this.panes = List.copyOf(panes);
        this.display = display;
        state.addListener(track);
        track();
    }

    private void track() {
        shown = new Shown(state.cursor(), state.frame(), state.look());
    }

    /** Whether it steps time frames (a 3D+t image) rather than slices. */
    public boolean playsFrames() {
        return state.frames() > 1;
    }

    /** Frames of the film: time frames, or the slices of the played plane. */
    public int length() {
        return playsFrames() ? state.frames() : state.images().get(0).slices(plane);
    }

    /** The plane whose slices are played when there are no time frames. */
    public Plane plane() {
        return plane;
    }

    public boolean isPlaying() {
        return player != null;
    }

    public int framesPerSecond() {
        return framesPerSecond;
    }

    /** Sets the speed, clamped to 1..{@value #MAX_FRAMES_PER_SECOND}; a playing film changes speed at its next frame. */
    public void setFramesPerSecond(int rate) {
        framesPerSecond = Math.max(1, Math.min(MAX_FRAMES_PER_SECOND, rate));
    }

    /** Runs {@code listener} (on the UI thread) whenever playing starts or stops. */
    public void addPlayingListener(Runnable listener) {
        playingChanged.add(listener);
    }

    /** Plays the time frames, or else the slices of {@code slicePlane}; nothing when there is one frame or slice. */
    public void play(Plane slicePlane) {
        if (isPlaying()) {
            pause();
        }
        plane = slicePlane;
        if (length() < 2) {
            return;
        }
        framePending.set(false);
        Job job = Job.create("Cine of " + state.names().get(0), this::playFrames);
        job.setSystem(true);
        player = job;
        job.schedule();
        playingChanged.forEach(Runnable::run);
    }

    public void pause() {
        if (player != null) {
            player.cancel();
            player = null;
            playingChanged.forEach(Runnable::run);
        }
    }

    /** Pauses a playing film, else plays it in {@code slicePlane} (space in a pane). */
    public void toggle(Plane slicePlane) {
        if (isPlaying()) {
            pause();
        } else {
            play(slicePlane);
        }
    }

    /** Pauses and moves {@code delta} frames (or slices of {@code slicePlane}), wrapping round (arrow keys). */
    public void step(Plane slicePlane, int delta) {
        pause();
        plane = slicePlane;
        int length = length();
        show(Math.floorMod(position(shown) + delta, length));
    }

    /** Stops playing and stops following the state (the panes are about to go). */
    public void dispose() {
        pause();
        state.removeListener(track);
    }

    private int position(Shown now) {
        return playsFrames() ? now.frame() : now.cursor()[plane.normalAxis()];
    }

    /** Moves the viewer to frame or slice {@code index}: the panes re-render (or take what was offered) and repaint. */
    private void show(int index) {
        if (playsFrames()) {
            state.setFrame(index);
        } else {
            state.setCursor(plane.normalAxis(), index);
        }
    }

    /** The job: renders the frame after the shown one, hands it to the UI thread, waits for the next tick. */
    private IStatus playFrames(IProgressMonitor monitor) {
        Job self = Job.getJobManager().currentJob();
        boolean frames = playsFrames();
        Plane played = plane;
        int length = length();
        List<SlicePane> changed = frames ? panes : panes.stream().filter(p -> p.plane() == played).toList();
        long next = System.nanoTime();
        while (!monitor.isCanceled()) {
            if (!framePending.get()) {
                Shown now = shown;
                int index = (position(now) + 1) % length;
                List<ImageData> rendered = new ArrayList<>();
                for (SlicePane pane : changed) {
                    int slice = frames ? now.cursor()[pane.plane().normalAxis()] : index;
                    rendered.add(pane.prepare(slice, frames ? index : now.frame(), now.look()));
                }
                framePending.set(true);
                try {
                    display.asyncExec(() -> {
                        framePending.set(false);
                        if (player != self) {
                            return; // paused while this frame was on its way
                        }
                        for (int i = 0; i < changed.size(); i++) {
                            SlicePane pane = changed.get(i);
                            if (!pane.isDisposed()) {
                                int slice = frames ? now.cursor()[pane.plane().normalAxis()] : index;
                                pane.offer(slice, frames ? index : now.frame(), now.look(), rendered.get(i));
                            }
                        }
                        show(index);
                    });
                } catch (SWTException e) {
                    return Status.OK_STATUS; // the display is gone
                }
            }
            next += TimeUnit.SECONDS.toNanos(1) / framesPerSecond;
            long wait = next - System.nanoTime();
            if (wait < 0) {
                next = System.nanoTime(); // late (a slow frame): the next one a full period from now, no catching up
                wait = TimeUnit.SECONDS.toNanos(1) / framesPerSecond;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Status.OK_STATUS;
    }
}
