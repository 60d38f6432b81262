package org.medsynth.ui.internal;

import org.medsynth.ui.internal.results.RunLog;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Starts collecting finished runs when the bundle starts (the workbench loads the perspective from here at startup),
 * so the Run results view lists runs that ended before it was first opened.
 */
public final class UiActivator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        RunLog.get().start();
    }

    @Override
    public void stop(BundleContext context) {
        RunLog.get().stop();
    }
}
