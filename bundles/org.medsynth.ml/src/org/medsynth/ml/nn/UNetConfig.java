package org.medsynth.ml.nn;

import java.util.Arrays;
import java.util.Set;

/**
 * The shape of a {@link UNet}: 2D or 3D, channels in and out, base width and its multiplier per resolution level,
 * residual blocks per level, the levels (0 = full resolution) with self-attention, and the conditioning it accepts.
 * Start from {@link #of} and add what the model needs with the {@code with...} methods.
 *
 * @param conditionChannels channels of an image concatenated to the input (0: none)
 * @param classes           number of classes of a class embedding (0: none)
 * @param angle             whether an angle (radians, or any scalar) is embedded like the time
 * @param contextDim        features of the context tokens of cross-attention (0: none), at every attention level
 * @param styleDim          size of an AdaIN style code (0: none)
 * @param labelChannels     channels of a SPADE label map (0: none)
 */
public record UNetConfig(int dimensions, int inChannels, int outChannels, int baseChannels, int[] channelMultipliers,
        int resBlocks, Set<Integer> attentionLevels, int heads, int conditionChannels, int classes, boolean angle,
        int contextDim, int styleDim, int labelChannels) {

    public UNetConfig {
        if (dimensions != 2 && dimensions != 3) {
            throw new IllegalArgumentException("a U-Net is 2D or 3D, not " + dimensions + "D");
        }
        if (channelMultipliers.length == 0 || resBlocks < 1 || heads < 1 || baseChannels < 1) {
            throw new IllegalArgumentException("a U-Net needs at least one level, one residual block per level, "
                    + "one attention head and one base channel");
        }
        channelMultipliers = channelMultipliers.clone();
        attentionLevels = Set.copyOf(attentionLevels);
        for (int level : attentionLevels) {
            if (level < 0 || level >= channelMultipliers.length) {
                throw new IllegalArgumentException("attention level " + level + " is not one of the "
                        + channelMultipliers.length + " levels");
            }
        }
    }

    /** An unconditional U-Net with two residual blocks per level, no attention, one head. */
    public static UNetConfig of(int dimensions, int inChannels, int outChannels, int baseChannels,
            int... channelMultipliers) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, 2, Set.of(), 1,
                0, 0, false, 0, 0, 0);
    }

    public UNetConfig withResBlocks(int value) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, value,
                attentionLevels, heads, conditionChannels, classes, angle, contextDim, styleDim, labelChannels);
    }

    public UNetConfig withAttention(int heads, Integer... levels) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                Set.of(levels), heads, conditionChannels, classes, angle, contextDim, styleDim, labelChannels);
    }

    public UNetConfig withConditionChannels(int value) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                attentionLevels, heads, value, classes, angle, contextDim, styleDim, labelChannels);
    }

    public UNetConfig withClasses(int value) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                attentionLevels, heads, conditionChannels, value, angle, contextDim, styleDim, labelChannels);
    }

    public UNetConfig withAngle() {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                attentionLevels, heads, conditionChannels, classes, true, contextDim, styleDim, labelChannels);
    }

    public UNetConfig withContext(int value) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                attentionLevels, heads, conditionChannels, classes, angle, value, styleDim, labelChannels);
    }

    public UNetConfig withStyle(int value) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                attentionLevels, heads, conditionChannels, classes, angle, contextDim, value, labelChannels);
    }

    public UNetConfig withLabelMap(int value) {
        return new UNetConfig(dimensions, inChannels, outChannels, baseChannels, channelMultipliers, resBlocks,
                attentionLevels, heads, conditionChannels, classes, angle, contextDim, styleDim, value);
    }

    /** Channels at resolution level {@code level}. */
    public int channels(int level) {
        return baseChannels * channelMultipliers[level];
    }

    public int levels() {
        return channelMultipliers.length;
    }

    /** Spatial sizes must be divisible by this (one halving per level below the first). */
    public int sizeDivisor() {
        return 1 << (channelMultipliers.length - 1);
    }

    @Override
    public int[] channelMultipliers() {
        return channelMultipliers.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UNetConfig that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "UNetConfig[" + dimensions + "D, in " + inChannels + ", out " + outChannels + ", base " + baseChannels
                + " x " + Arrays.toString(channelMultipliers) + ", " + resBlocks + " res blocks, attention at "
                + attentionLevels.stream().sorted().toList() + " with " + heads + " heads, condition channels "
                + conditionChannels + ", classes " + classes + ", angle " + angle + ", context " + contextDim
                + ", style " + styleDim + ", label channels " + labelChannels + "]";
    }
}
