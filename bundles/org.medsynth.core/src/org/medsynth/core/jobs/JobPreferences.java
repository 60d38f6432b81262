package org.medsynth.core.jobs;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.medsynth.core.registry.Contributions;
import org.osgi.service.prefs.BackingStoreException;

/**
 * The user's defaults for runs, kept in the instance-scope preferences of this bundle (the workspace's
 * {@code .metadata}): the device new jobs run on, the folders trained models are kept in, and the memory an image may
 * take when it is opened. The workbench's preference page writes them; run dialogs and viewers read them.
 */
public final class JobPreferences {
    public static final String DEVICE = "device";
    public static final String MODEL_FOLDERS = "modelFolders";
    public static final String MEMORY_BUDGET_MB = "memoryBudgetMb";
    public static final String DEFAULT_DEVICE = "cpu";
    public static final int DEFAULT_MEMORY_BUDGET_MB = 4096;

    private JobPreferences() {
    }

    private static IEclipsePreferences node() {
        return InstanceScope.INSTANCE.getNode(Contributions.PLUGIN_ID);
    }

    /** The device new jobs default to ({@code cpu} or {@code gpu:N}); {@code cpu} when the stored one is not valid. */
    public static String device() {
        try {
            return DeviceRule.of(node().get(DEVICE, DEFAULT_DEVICE)).device();
        } catch (IllegalArgumentException e) {
            return DEFAULT_DEVICE;
        }
    }

    /** Folders holding trained models, in the order the user gave them. */
    public static List<Path> modelFolders() {
        return Arrays.stream(node().get(MODEL_FOLDERS, "").split(File.pathSeparator)).map(String::trim)
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    /** The most memory (MiB) one opened image may take. */
    public static int memoryBudgetMb() {
        return Math.max(1, node().getInt(MEMORY_BUDGET_MB, DEFAULT_MEMORY_BUDGET_MB));
    }

    /**
     * Stores all three and writes them to disk.
     *
     * @throws IllegalArgumentException for a device {@link DeviceRule} does not know or a budget below 1 MiB
     */
    public static void store(String device, List<Path> modelFolders, int memoryBudgetMb) throws BackingStoreException {
        String checked = DeviceRule.of(device).device();
        if (memoryBudgetMb < 1) {
            throw new IllegalArgumentException("memory budget must be at least 1 MiB, got " + memoryBudgetMb);
        }
        IEclipsePreferences node = node();
        node.put(DEVICE, checked);
        node.put(MODEL_FOLDERS, modelFolders.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        node.putInt(MEMORY_BUDGET_MB, memoryBudgetMb);
        node.flush();
    }
}
