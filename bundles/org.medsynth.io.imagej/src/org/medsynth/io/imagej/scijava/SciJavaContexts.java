package org.medsynth.io.imagej.scijava;

import java.util.List;

import org.scijava.Context;
import org.scijava.io.IOPlugin;
import org.scijava.io.IOService;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.Plugin;
import org.scijava.plugin.PluginIndex;
import org.scijava.plugin.PluginInfo;

/**
 * SciJava contexts that work inside OSGi. SciJava finds its plugins through an annotation index read with a class
 * loader, by default the thread's context class loader, which in an OSGi bundle sees neither SciJava's own index nor
 * MedSynth's classes. Here the index is read through SciJava Common's bundle class loader, and MedSynth's plugin is
 * added by class.
 */
public final class SciJavaContexts {
    private SciJavaContexts() {
    }

    /**
     * A context with SciJava's IOService (and the services it needs) and MedSynth's formats as an IO plugin. The
     * caller disposes of it ({@link Context#dispose()}), which stops its threads.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Context withImageIO() {
        ClassLoader scijava = Context.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // SciJava also resolves classes through the thread's context class loader while it builds the context
        thread.setContextClassLoader(scijava);
        try {
            PluginIndex index = new PluginIndex(new DefaultPluginFinder(scijava));
            index.add(new PluginInfo(MedSynthImageIOPlugin.class, IOPlugin.class,
                    MedSynthImageIOPlugin.class.getAnnotation(Plugin.class)));
            return new Context(List.of(IOService.class), index);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
