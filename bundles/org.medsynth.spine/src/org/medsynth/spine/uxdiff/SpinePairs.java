package org.medsynth.spine.uxdiff;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.DatasetAdapter.DatasetCase;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.dataset.ManifestAdapter;
import org.medsynth.eval.Voxels;
import org.medsynth.spine.SpinePhantom;

/**
 * Paired coronal spine ultrasound and AP radiograph images of the same spines, with the Cobb angle (measured on the
 * radiograph) and the ultrasound curve angle (UCA, measured on the ultrasound), in the form UXDiff and its pix2pix
 * baseline train on: {@code columns} × {@value #ASPECT}·{@code columns} pixels in model units [−1, 1], the spine's
 * band from head to pelvis.
 * <p>
 * Two sources: spine phantoms of random curves ({@link #phantoms}), rendered at twice the width and cut to the
 * central half of their 310 × 620 mm field (a 155 mm band that holds the spine up to its largest curves), whose Cobb
 * angle is exact and whose UCA is measured on the band's ultrasound by {@link UltrasoundCurveAngle}; or a manifest of
 * real pairs ({@link #manifest}), resampled to the model's size. Intensities: the ultrasound divided by its
 * {@value #ULTRASOUND_PERCENTILE}th percentile and
 * clipped to [0, 1]; the radiograph scaled from its minimum and maximum to [0, 1]; both then mapped to [−1, 1].
 */
final class SpinePairs {
    /** Rows per column of every image: a band along the spine. */
    static final int ASPECT = 4;
    /** The angle token's value when an angle is not known. */
    static final double MISSING_ANGLE = -1;
    /** Manifest columns besides the ultrasound's {@value ManifestAdapter#IMAGE}. */
    static final String XRAY_COLUMN = "x-ray";
    static final String COBB_COLUMN = "cobb";
    static final String UCA_COLUMN = "uca";
    static final double ULTRASOUND_PERCENTILE = 99;

    /**
     * One case in model units (x fastest, row 0 at the top).
     *
     * @param xray     null for an ultrasound to translate that has no paired radiograph
     * @param geometry of the pair's pixels (the radiograph's frame)
     */
    record Pair(String id, float[] ultrasound, float[] xray, double cobbDegrees, double ucaDegrees,
            Geometry geometry) {
    }

    /** Seeds of held-out phantoms are this far from the training seed. */
    static final long HELD_OUT_SEED_OFFSET = 3_000_017;

    /** Training and held-out pairs, and what they are (for the model card). */
    record Split(SpinePairs training, SpinePairs heldOut, String description) {
    }

    /**
     * A batch in model units: count images of rows × columns (x fastest) and their angles.
     *
     * @param cobb the Cobb angles ({@value #MISSING_ANGLE} when not known)
     */
    record Batch(int count, int rows, int columns, float[] ultrasound, float[] xray, float[] cobb, float[] uca) {
    }

    private final int columns;
    private final List<Pair> pairs;

    private SpinePairs(int columns, List<Pair> pairs) {
        this.columns = columns;
        this.pairs = List.copyOf(pairs);
    }

    int columns() {
        return columns;
    }

    int rows() {
        return ASPECT * columns;
    }

    int pixels() {
        return columns * rows();
    }

    List<Pair> pairs() {
        return pairs;
    }

    int size() {
        return pairs.size();
    }

    /**
     * The training and held-out pairs: with no {@code dataset}, {@code trainingCount} phantom spines from a stream
     * of {@code seed} and {@code heldOutCount} from {@code seed} + {@value #HELD_OUT_SEED_OFFSET}; with a manifest,
     * its last {@code heldOutCount} cases are held out and the others train.
     *
     * @throws IOException when the manifest cannot be read or leaves no case to train on
     */
    static Split split(String dataset, int trainingCount, int heldOutCount, int columns, long seed,
            IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, 2);
        if (dataset.isBlank()) {
            SpinePairs training = phantoms(trainingCount, columns, seed, progress.split(1));
            SpinePairs heldOut = phantoms(heldOutCount, columns, seed + HELD_OUT_SEED_OFFSET, progress.split(1));
            return new Split(training, heldOut, trainingCount + " spine.phantom spines with random curves (seed "
                    + seed + "; single curves 0-60 degrees at apex T5-L2 with probability 0.6, else double curves "
                    + "10-50 / 10-45 degrees), left-right flips; held out: " + heldOutCount + " spines from seed "
                    + (seed + HELD_OUT_SEED_OFFSET));
        }
        SpinePairs all = manifest(Path.of(dataset), columns, progress.split(2));
        if (all.size() <= heldOutCount) {
            throw new IOException(dataset + " lists " + all.size() + " pairs; with " + heldOutCount + " held out "
                    + "none is left to train on");
        }
        int cut = all.size() - heldOutCount;
        return new Split(new SpinePairs(columns, all.pairs.subList(0, cut)),
                new SpinePairs(columns, all.pairs.subList(cut, all.size())), "the paired ultrasound/x-ray manifest "
                        + Path.of(dataset).getFileName() + ": its first " + cut + " pairs, left-right flips; held out:"
                        + " its last " + heldOutCount);
    }

    /** {@code count} random cases, each flipped left-right with probability 1/2 (the angles do not change). */
    Batch batch(int count, SplittableRandom random) {
        int pixels = pixels();
        float[] ultrasound = new float[count * pixels];
        float[] xray = new float[count * pixels];
        float[] cobb = new float[count];
        float[] uca = new float[count];
        for (int i = 0; i < count; i++) {
            Pair pair = pairs.get(random.nextInt(pairs.size()));
            boolean flip = random.nextBoolean();
            copy(pair.ultrasound(), ultrasound, i * pixels, flip);
            copy(pair.xray(), xray, i * pixels, flip);
            cobb[i] = (float) pair.cobbDegrees();
            uca[i] = (float) pair.ucaDegrees();
        }
        return new Batch(count, rows(), columns, ultrasound, xray, cobb, uca);
    }

    private void copy(float[] image, float[] into, int offset, boolean flip) {
        if (!flip) {
            System.arraycopy(image, 0, into, offset, image.length);
            return;
        }
        for (int j = 0; j < rows(); j++) {
            for (int i = 0; i < columns; i++) {
                into[offset + j * columns + i] = image[j * columns + columns - 1 - i];
            }
        }
    }

    /**
     * What a generator translates: the input ultrasounds (the spine's band), resampled to {@code columns} ×
     * {@value #ASPECT}·{@code columns}, each
     * with its UCA measured on it at its own resolution (no radiograph, no Cobb angle); or, without inputs,
     * {@code count} phantom spines drawn as for training from streams split off {@code seed}, with their true
     * radiographs and angles.
     *
     * @throws IllegalArgumentException naming an input that is not a 2D image or shows no spine to measure
     */
    static SpinePairs generationInputs(List<MedicalImage<?>> inputs, int count, int columns, long seed) {
        if (inputs.isEmpty()) {
            SplittableRandom root = new SplittableRandom(seed);
            List<Pair> pairs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                pairs.add(pair(String.format(Locale.ROOT, "case-%03d", i), randomSpine(root.split()), columns));
            }
            return new SpinePairs(columns, pairs);
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            MedicalImage<?> input = inputs.get(i);
            Voxels voxels = Voxels.of(input);
            if (voxels.dims().length != 2) {
                throw new IllegalArgumentException("input " + (i + 1) + " is " + voxels.dims().length + "D; UXDiff "
                        + "translates 2D coronal ultrasound images");
            }
            double uca;
            try {
                uca = UltrasoundCurveAngle.measure(input);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("input " + (i + 1) + ": " + e.getMessage(), e);
            }
            double[] spacing = voxels.spacing();
            Geometry geometry = new Geometry(new double[] {spacing[0] * voxels.dims()[0] / columns,
                    spacing[1] * voxels.dims()[1] / (ASPECT * columns)}, input.geometry().origin(),
                    input.geometry().direction());
            pairs.add(new Pair(String.format(Locale.ROOT, "case-%03d", i),
                    ultrasoundToModel(resize(voxels, columns, ASPECT * columns)), null, MISSING_ANGLE, uca, geometry));
        }
        return new SpinePairs(columns, pairs);
    }

    /** The ultrasounds of the pairs, in order. */
    List<float[]> ultrasounds() {
        return pairs.stream().map(Pair::ultrasound).toList();
    }

    /**
     * {@code count} phantom spines drawn by {@link #randomSpine} from streams split off {@code seed}, rendered at
     * {@code columns} pixels wide.
     */
    static SpinePairs phantoms(int count, int columns, long seed, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Rendering " + count + " spine phantoms", count);
        SplittableRandom root = new SplittableRandom(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SpinePhantom spine = randomSpine(root.split());
            pairs.add(pair(String.format(Locale.ROOT, "spine-%04d", i), spine, columns));
            progress.split(1);
        }
        return new SpinePairs(columns, pairs);
    }

    /**
     * The pair of one phantom spine, the central {@code columns} of renderings 2·{@code columns} wide: its true
     * major Cobb angle and the UCA measured on the band's ultrasound.
     */
    static Pair pair(String id, SpinePhantom spine, int columns) {
        MedicalImage<FloatType> ultrasound = band(spine.ultrasound(2 * columns), columns, Modality.US);
        MedicalImage<FloatType> xray = band(spine.radiograph(2 * columns), columns, Modality.DX);
        return new Pair(id, ultrasoundToModel(Voxels.of(ultrasound).values()), xrayToModel(Voxels.of(xray).values()),
                spine.trueCurves().get(0).angleDegrees(), UltrasoundCurveAngle.measure(ultrasound), xray.geometry());
    }

    /** The central {@code columns} of a rendering twice as wide, in the rendering's frame. */
    private static MedicalImage<FloatType> band(MedicalImage<FloatType> full, int columns, Modality modality) {
        Voxels voxels = Voxels.of(full);
        int width = voxels.dims()[0];
        int rows = voxels.dims()[1];
        int first = (width - columns) / 2;
        float[] data = new float[columns * rows];
        for (int j = 0; j < rows; j++) {
            for (int i = 0; i < columns; i++) {
                data[j * columns + i] = (float) voxels.values()[j * width + first + i];
            }
        }
        Geometry geometry = full.geometry();
        double[] origin = geometry.origin().clone();
        origin[0] += first * geometry.spacing(0);
        return MedicalImage.of(ArrayImgs.floats(data, columns, rows), new Geometry(geometry.spacing(), origin,
                geometry.direction()), modality, full.unit());
    }

    /**
     * A spine with a random curve: a single (C) curve with probability 0.6, Cobb angle uniform in 0–60°, apex
     * T5–L2, 2–6 levels to each end; else a double (S) curve, upper 10–50° at apex T5–T9, lower 10–45° with its
     * apex 3–6 levels lower (L3 at most). Anatomy (sizes, body outline, speckle) from the same stream.
     */
    static SpinePhantom randomSpine(SplittableRandom random) {
        long anatomy = random.nextLong();
        if (random.nextDouble() < 0.6) {
            return SpinePhantom.singleCurve(anatomy, 60 * random.nextDouble(), random.nextInt(4, 14),
                    random.nextInt(2, 7));
        }
        int upperApex = random.nextInt(4, 9);
        return SpinePhantom.doubleCurve(anatomy, 10 + 40 * random.nextDouble(), upperApex,
                10 + 35 * random.nextDouble(), Math.min(14, upperApex + random.nextInt(3, 7)));
    }

    /**
     * The pairs a manifest lists (CSV or JSON, see {@link ManifestAdapter}): the ultrasound in column
     * {@value ManifestAdapter#IMAGE}, the radiograph's path in {@value #XRAY_COLUMN} (relative to the manifest's
     * folder), the Cobb angle in {@value #COBB_COLUMN} and the UCA in {@value #UCA_COLUMN} (degrees; a blank Cobb
     * angle becomes the missing-angle sentinel, a blank UCA is measured on the ultrasound). Images are resampled
     * (bilinear) to {@code columns} × {@value #ASPECT}·{@code columns}: they should show the spine's band.
     *
     * @throws IOException naming the row and column of a missing file or a malformed angle
     */
    static SpinePairs manifest(Path manifest, int columns, IProgressMonitor monitor) throws IOException {
        List<DatasetCase> cases = new ManifestAdapter().open(manifest, ParameterValues.none());
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + cases.size() + " ultrasound/x-ray pairs",
                cases.size());
        Path folder = manifest.toAbsolutePath().getParent();
        ImageFormats formats = ImageFormats.get();
        List<Pair> pairs = new ArrayList<>();
        for (DatasetCase c : cases) {
            Map<String, String> conditions = c.conditions();
            String where = manifest.getFileName() + ", case " + c.id();
            String xrayPath = conditions.get(XRAY_COLUMN);
            if (xrayPath == null) {
                throw new IOException(where + ": no '" + XRAY_COLUMN + "' column (the paired radiograph's path)");
            }
            MedicalImage<?> ultrasound = read(formats, c.images().get(0), where);
            MedicalImage<?> xray = read(formats, folder.resolve(xrayPath.strip()), where);
            double cobb = angle(conditions, COBB_COLUMN, where);
            double uca = angle(conditions, UCA_COLUMN, where);
            if (uca == MISSING_ANGLE) {
                uca = UltrasoundCurveAngle.measure(ultrasound);
            }
            Voxels us = Voxels.of(ultrasound);
            Voxels xr = Voxels.of(xray);
            if (us.dims().length != 2 || xr.dims().length != 2) {
                throw new IOException(where + ": the ultrasound and the radiograph must be 2D images");
            }
            int rows = ASPECT * columns;
            double[] spacing = xr.spacing();
            Geometry geometry = new Geometry(new double[] {spacing[0] * xr.dims()[0] / columns,
                    spacing[1] * xr.dims()[1] / rows}, xray.geometry().origin(), xray.geometry().direction());
            pairs.add(new Pair(c.id(), ultrasoundToModel(resize(us, columns, rows)),
                    xrayToModel(resize(xr, columns, rows)), cobb, uca, geometry));
            progress.split(1);
        }
        return new SpinePairs(columns, pairs);
    }

    private static MedicalImage<?> read(ImageFormats formats, Path file, String where) throws IOException {
        try {
            return formats.read(file);
        } catch (CoreException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static double angle(Map<String, String> conditions, String column, String where) throws IOException {
        String text = conditions.get(column);
        if (text == null) {
            return MISSING_ANGLE;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (!(value >= 0 && value <= 180)) {
                throw new IOException(where + ": '" + column + "' is " + text + "; an angle is 0..180 degrees (leave it"
                        + " blank when unknown)");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IOException(where + ": '" + column + "' is not a number: " + text);
        }
    }

    /** An ultrasound's values in model units: divided by their high percentile, clipped to [0, 1], to [−1, 1]. */
    static float[] ultrasoundToModel(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.min(sorted.length - 1, Math.floor(ULTRASOUND_PERCENTILE / 100 * sorted.length));
        double scale = sorted[rank];
        float[] model = new float[values.length];
        for (int p = 0; p < values.length; p++) {
            double v = scale > 0 ? Math.min(1, Math.max(0, values[p] / scale)) : 0;
            model[p] = (float) (2 * v - 1);
        }
        return model;
    }

    /** A radiograph's values in model units: its range [min, max] to [−1, 1]. */
    static float[] xrayToModel(double[] values) {
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(1);
        float[] model = new float[values.length];
        for (int p = 0; p < values.length; p++) {
            model[p] = (float) (max > min ? 2 * (values[p] - min) / (max - min) - 1 : -1);
        }
        return model;
    }

    /** A radiograph in model units as an image of normalised opacity [0, 1] (values clipped to that range). */
    static MedicalImage<FloatType> xrayImage(float[] model, int columns, Geometry geometry) {
        float[] data = new float[model.length];
        for (int p = 0; p < model.length; p++) {
            data[p] = Math.min(1, Math.max(0, (model[p] + 1) / 2));
        }
        return MedicalImage.of(ArrayImgs.floats(data, columns, model.length / columns), geometry, Modality.DX,
                IntensityUnit.ARBITRARY);
    }

    /** An ultrasound in model units as an image of normalised echo [0, 1]. */
    static MedicalImage<FloatType> ultrasoundImage(float[] model, int columns, Geometry geometry) {
        float[] data = new float[model.length];
        for (int p = 0; p < model.length; p++) {
            data[p] = (model[p] + 1) / 2;
        }
        return MedicalImage.of(ArrayImgs.floats(data, columns, model.length / columns), geometry, Modality.US,
                IntensityUnit.ARBITRARY);
    }

    /** Bilinear resampling of a 2D image to {@code columns} × {@code rows} (pixel centres aligned). */
    static double[] resize(Voxels image, int columns, int rows) {
        int w = image.dims()[0];
        int h = image.dims()[1];
        if (w == columns && h == rows) {
            return image.values();
        }
        double[] values = image.values();
        double[] result = new double[columns * rows];
        for (int j = 0; j < rows; j++) {
            double y = Math.min(h - 1, Math.max(0, (j + 0.5) * h / rows - 0.5));
            int y0 = Math.min(h - 2, (int) y);
            double fy = h == 1 ? 0 : y - y0;
            for (int i = 0; i < columns; i++) {
                double x = Math.min(w - 1, Math.max(0, (i + 0.5) * w / columns - 0.5));
                int x0 = Math.min(w - 2, (int) x);
                double fx = w == 1 ? 0 : x - x0;
                double top = (1 - fx) * at(values, w, h, x0, y0) + fx * at(values, w, h, x0 + 1, y0);
                double bottom = (1 - fx) * at(values, w, h, x0, y0 + 1) + fx * at(values, w, h, x0 + 1, y0 + 1);
                result[j * columns + i] = (1 - fy) * top + fy * bottom;
            }
        }
        return result;
    }

    private static double at(double[] values, int w, int h, int x, int y) {
        return values[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
    }
}
