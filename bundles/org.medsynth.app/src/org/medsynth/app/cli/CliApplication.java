package org.medsynth.app.cli;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/** The headless {@code medsynth} application: arguments after the launcher's own go to {@link Cli}. */
public final class CliApplication implements IApplication {
    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        context.applicationRunning();
        return new Cli(System.out, System.err).run(args);
    }

    @Override
    public void stop() {
        // runs are cancelled by the shutdown hook Cli installs around each job
    }
}
