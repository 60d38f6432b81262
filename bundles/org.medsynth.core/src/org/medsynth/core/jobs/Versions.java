package org.medsynth.core.jobs;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/** The MedSynth version, taken from the core bundle (so it is the version that is actually installed). */
public final class Versions {
    private Versions() {
    }

    public static String medsynth() {
        Bundle b = FrameworkUtil.getBundle(Versions.class);
        return b == null ? "unknown" : b.getVersion().toString();
    }
}
