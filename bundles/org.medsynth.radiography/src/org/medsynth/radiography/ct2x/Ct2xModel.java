package org.medsynth.radiography.ct2x;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.medsynth.ml.NDScopes;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.ml.weights.ModelCardYaml;
import org.medsynth.physics.Volume;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * A trained CT2X-GAN as its model card records it: the network's configuration and the two style codes the
 * generator renders with (the mean X-ray style code of radiograph-style images and the mean DRR style code of DRRs,
 * measured after training), so that the generator rebuilds exactly what the trainer trained.
 */
public record Ct2xModel(Ct2xNetwork.Config config, float[] xrayStyle, float[] drrStyle) {
    public static final String ARCHITECTURE = "ct2x-gan";
    public static final String TRAINER = "radiography.ct2x-gan";

    /** Which style code the generator renders with. */
    public enum Style {
        XRAY, DRR
    }

    public Ct2xModel {
        if (xrayStyle.length != config.styleDim() || drrStyle.length != config.styleDim()) {
            throw new IllegalArgumentException("style codes must have " + config.styleDim() + " values");
        }
    }

    public float[] styleCode(Style style) {
        return style == Style.XRAY ? xrayStyle : drrStyle;
    }

    /** The model a card describes. */
    public static Ct2xModel fromCard(ModelCard card) throws IOException {
        Ct2xNetwork.Config config;
        try {
            config = new Ct2xNetwork.Config(card.integer("architecture.ct-size"),
                    card.integer("architecture.image-size"), card.integer("architecture.feature-cube"),
                    card.integer("architecture.channels"), card.integer("architecture.style-dim"),
                    card.integer("architecture.slabs"));
        } catch (IllegalArgumentException e) {
            throw new IOException(card.file() + ": " + e.getMessage(), e);
        }
        return new Ct2xModel(config, code(card, "style.xray-code", config.styleDim()),
                code(card, "style.drr-code", config.styleDim()));
    }

    private static float[] code(ModelCard card, String path, int length) throws IOException {
        String[] parts = card.text(path).split(",");
        if (parts.length != length) {
            throw new IOException(card.file() + ": '" + path + "' has " + parts.length + " values, the style code "
                    + length);
        }
        float[] code = new float[length];
        for (int i = 0; i < length; i++) {
            try {
                code[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IOException(card.file() + ": '" + path + "' value '" + parts[i].trim()
                        + "' is not a number", e);
            }
        }
        return code;
    }

    /** The card's architecture and style sections. */
    public List<String> cardLines(long parameterCount) {
        List<String> lines = new ArrayList<>();
        lines.add("architecture:");
        lines.add("  name: " + ARCHITECTURE);
        lines.add("  description: " + ModelCardYaml.scalar("CT2X-GAN: 3D CT encoder (" + config.ctSize() + "³ → "
                + config.featureCube() + "³ features, " + config.channels() + " channels), pose attention module "
                + "(feature volume turned to the view in " + config.slabs() + " depth slabs by a fixed Siddon "
                + "resampling, spatial attention from the encoded rotated MIP, angle gate), shared content encoder, "
                + "X-ray and DRR style encoders (" + config.styleDim() + "-value codes), AdaIN style generator (two "
                + "residual content blocks at " + config.contentSize() + "², then " + Ct2xNetwork.STYLE_LAYERS
                + " upsampling AdaIN style layers to " + config.imageSize() + "²), pose-aware PatchGAN "
                + "discriminator (angle as sin/cos channels)"));
        lines.add("  ct-size: " + config.ctSize());
        lines.add("  image-size: " + config.imageSize());
        lines.add("  feature-cube: " + config.featureCube());
        lines.add("  channels: " + config.channels());
        lines.add("  style-dim: " + config.styleDim());
        lines.add("  slabs: " + config.slabs());
        lines.add("  parameters: " + parameterCount);
        lines.add("style:");
        lines.add("  xray-code: " + ModelCardYaml.scalar(join(xrayStyle)));
        lines.add("  drr-code: " + ModelCardYaml.scalar(join(drrStyle)));
        return lines;
    }

    private static String join(float[] code) {
        List<String> parts = new ArrayList<>();
        for (float value : code) {
            parts.add(String.format(Locale.ROOT, "%.6g", value));
        }
        return String.join(", ", parts);
    }

    /**
     * The network's images of a HU cube at the given angles in the given style code, [0, 1], row-major, one per
     * angle.
     */
    public static float[][] render(Ct2xNetwork network, NDManager manager, Volume hu, double[] degrees, float[] style) {
        Ct2xNetwork.Config config = network.config();
        if (hu.nx() != config.ctSize() || hu.ny() != config.ctSize() || hu.nz() != config.ctSize()) {
            throw new IllegalArgumentException("the network takes " + config.ctSize() + "³ CT cubes, got "
                    + hu.nx() + "×" + hu.ny() + "×" + hu.nz());
        }
        int s = config.imageSize();
        int pixels = s * s;
        Volume normalised = Radiographs.normalisedCt(hu);
        int n = degrees.length;
        float[] mips = new float[n * pixels];
        float[] cts = new float[n * normalised.data().length];
        float[] styles = new float[n * style.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(toModel(Radiographs.mip(normalised, s, degrees[i])), 0, mips, i * pixels, pixels);
            System.arraycopy(normalised.data(), 0, cts, i * normalised.data().length, normalised.data().length);
            System.arraycopy(style, 0, styles, i * style.length, style.length);
        }
        float[] values = NDScopes.compute(manager, scope -> {
            ParameterStore ps = new ParameterStore(scope, false);
            int d = config.ctSize();
            NDArray content = network.content(ps, scope.create(cts, new Shape(n, 1, d, d, d)),
                    scope.create(mips, new Shape(n, 1, s, s)), degrees, false);
            return network.generate(ps, content, scope.create(styles, new Shape(n, style.length)), false)
                    .toFloatArray();
        });
        float[][] images = new float[n][];
        for (int i = 0; i < n; i++) {
            images[i] = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                images[i][p] = (values[i * pixels + p] + 1) / 2;
            }
        }
        return images;
    }

    /** [0, 1] image values to the network's [−1, 1]. */
    public static float[] toModel(float[] image) {
        float[] out = new float[image.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 2 * image[i] - 1;
        }
        return out;
    }
}
