package org.medsynth.ui.internal.viewer;

import java.util.ArrayList;
import java.util.List;

import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.Modality;

/**
 * The window choices for an image: the usual CT windows for images in Hounsfield units, and for every image an
 * automatic window (0.5–99.5 % of the values) and the full range.
 */
public final class WindowPresets {
    /** A named window. */
    public record Preset(String name, Window window) {
    }

    /** Radiology's customary CT windows (width/level in HU). */
    static final List<Preset> CT = List.of(new Preset("Brain", new Window(40, 80)),
            new Preset("Soft tissue", new Window(40, 400)), new Preset("Lung", new Window(-600, 1500)),
            new Preset("Bone", new Window(400, 1800)));
    static final double AUTO_LOW = 0.005;
    static final double AUTO_HIGH = 0.995;

    private WindowPresets() {
    }

    /** The presets for an image, the default first: soft tissue for CT, automatic for everything else. */
    public static List<Preset> forImage(VolumeSlicer image) {
        double[] auto = image.quantiles(AUTO_LOW, AUTO_HIGH);
        double[] full = image.quantiles(0, 1);
        Preset automatic = new Preset("Auto", Window.ofRange(auto[0], auto[1]));
        Preset fullRange = new Preset("Full range", Window.ofRange(full[0], full[1]));
        List<Preset> presets = new ArrayList<>();
        if (isCt(image)) {
            presets.add(CT.get(1));
            presets.addAll(CT.stream().filter(p -> p != CT.get(1)).toList());
            presets.add(automatic);
        } else {
            presets.add(automatic);
        }
        presets.add(fullRange);
        return presets;
    }

    /** The colour map a reader expects: hot for PET, grey otherwise (colour images are shown in true colour). */
    public static ColorMap defaultColorMap(VolumeSlicer image) {
        return image.image().modality() == Modality.PT ? ColorMap.HOT : ColorMap.GREY;
    }

    private static boolean isCt(VolumeSlicer image) {
        return image.image().modality() == Modality.CT || image.image().unit() == IntensityUnit.HOUNSFIELD;
    }
}
