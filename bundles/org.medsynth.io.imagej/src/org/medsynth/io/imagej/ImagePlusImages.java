package org.medsynth.io.imagej;

import static java.util.Map.entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.image.Provenance;
import org.medsynth.io.imagej.internal.InfoLines;

/**
 * Converts between MedSynth images and ImageJ 1 {@link ImagePlus}es. Pixels are shared, not copied, wherever ImageJ
 * has the type: unsigned 8-bit, unsigned 16-bit and 32-bit float images whose planes are whole arrays (a 2D
 * {@link ArrayImg}, or a {@link PlanarImg} of any size) hand those very arrays to ImageJ's processors, and an
 * ImagePlus comes back as an ArrayImg (one plane) or a PlanarImg (a stack) over ImageJ's own arrays, so a pixel
 * written through one is seen through the other. Everything else is copied: a 3D ArrayImg (one array, where ImageJ
 * needs one per plane), signed 16-bit (ImageJ stores it shifted by 32768 with a calibration function) and the types
 * ImageJ lacks (signed 8-bit, 32-bit integers, 64-bit float), which become 32-bit float.
 * <p>
 * Axes: MedSynth's x, y[, z][, channel] are ImageJ's width, height, slices and channels (stack order channel fastest,
 * then slice). An ImagePlus's channels × frames become the channel axis. Spacing and origin are ImageJ's calibration
 * (in mm; ImageJ's origin is in pixels and has no direction, so it is exact for identity directions); modality,
 * intensity unit, direction, exact spacing and origin, and provenance are {@code medsynth.*} lines of the Info
 * property.
 */
public final class ImagePlusImages {
    /** Info property, as ImageJ names it; ImageJ TIFFs carry it. */
    public static final String INFO = "Info";
    /** Relative difference under which the exact spacing in Info is taken to be the calibration's own value. */
    private static final double SAME_SPACING = 1e-5;
    private static final int SIGNED_16_SHIFT = 32768;
    private static final Map<String, Double> MILLIMETRES_PER_UNIT = Map.ofEntries(entry("mm", 1.0),
            entry("millimeter", 1.0), entry("millimetre", 1.0), entry("cm", 10.0), entry("m", 1000.0),
            entry("meter", 1000.0), entry("um", 1e-3), entry("\u00b5m", 1e-3), entry("micron", 1e-3),
            entry("microns", 1e-3), entry("nm", 1e-6), entry("inch", 25.4), entry("in", 25.4),
            // ImageJ's "no calibration": one pixel per unit, as MedSynth's other formats read uncalibrated files
            entry("pixel", 1.0), entry("pixels", 1.0), entry("", 1.0));

    private ImagePlusImages() {
    }

    /** How the pixels of one ImgLib2 type travel in ImageJ. */
    private enum Pixels {
        /** UnsignedByteType: ImageJ 8-bit, shared. */
        BYTE(true),
        /** UnsignedShortType: ImageJ 16-bit, shared. */
        SHORT(true),
        /** FloatType: ImageJ 32-bit, shared. */
        FLOAT(true),
        /** ShortType: ImageJ 16-bit shifted by 32768, copied. */
        SIGNED_SHORT(false),
        /** Any other RealType: ImageJ 32-bit, copied. */
        OTHER(false);

        final boolean shareable;

        Pixels(boolean shareable) {
            this.shareable = shareable;
        }

        static Pixels of(Object type) {
            if (type instanceof UnsignedByteType) {
                return BYTE;
            } else if (type instanceof UnsignedShortType) {
                return SHORT;
            } else if (type instanceof FloatType) {
                return FLOAT;
            } else if (type instanceof ShortType) {
                return SIGNED_SHORT;
            }
            return OTHER;
        }

        Object newPlane(int size) {
            return switch (this) {
                case BYTE -> new byte[size];
                case SHORT, SIGNED_SHORT -> new short[size];
                case FLOAT, OTHER -> new float[size];
            };
        }

        void set(Object plane, int i, double v) {
            switch (this) {
                case BYTE -> ((byte[]) plane)[i] = (byte) (int) v;
                case SHORT -> ((short[]) plane)[i] = (short) (int) v;
                case SIGNED_SHORT -> ((short[]) plane)[i] = (short) ((int) v + SIGNED_16_SHIFT);
                case FLOAT, OTHER -> ((float[]) plane)[i] = (float) v;
            }
        }
    }

    /**
     * An ImagePlus showing the image: 2D or 3D, with or without channels. Unsigned 8/16-bit and float planes are
     * shared (see the class comment).
     *
     * @throws IllegalArgumentException when a plane exceeds ImageJ's 2^31 pixels
     */
    public static ImagePlus toImagePlus(MedicalImage<?> image, String title) {
        Geometry g = image.geometry();
        long[] dims = image.dimensions();
        int spatial = g.dimensions();
        if (dims[0] * dims[1] > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + dims[0] + "x" + dims[1] + " plane exceeds ImageJ's 2^31 pixels");
        }
        int width = (int) dims[0];
        int height = (int) dims[1];
        int depth = spatial == 3 ? Math.toIntExact(dims[2]) : 1;
        int channels = image.channels();
        Pixels kind = Pixels.of(image.pixels().firstElement());
        Object[] planes = kind.shareable ? sharedPlanes(image.pixels(), width * height, depth * channels) : null;
        if (planes == null) {
            planes = copiedPlanes(image.pixels(), kind, width * height, depth * channels);
        }
        ImageStack stack = new ImageStack(width, height);
        for (int z = 0; z < depth; z++) {
            for (int c = 0; c < channels; c++) {
                String label = channels > 1 ? image.channelLabels().get(c) : null;
                stack.addSlice(label, planes[z + depth * c]);
            }
        }
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(channels, depth, 1);
        Calibration cal = new Calibration(imp);
        cal.setUnit("mm");
        cal.pixelWidth = g.spacing(0);
        cal.pixelHeight = g.spacing(1);
        cal.pixelDepth = spatial == 3 ? g.spacing(2) : 1;
        cal.xOrigin = -g.origin()[0] / g.spacing(0);
        cal.yOrigin = -g.origin()[1] / g.spacing(1);
        cal.zOrigin = spatial == 3 ? -g.origin()[2] / g.spacing(2) : 0;
        if (kind == Pixels.SIGNED_SHORT) {
            // ImageJ's own signed 16-bit convention (what setSigned16BitCalibration sets), with MedSynth's unit
            cal.setFunction(Calibration.STRAIGHT_LINE, new double[] {-SIGNED_16_SHIFT, 1}, image.unit().symbol());
        } else {
            cal.setValueUnit(image.unit().symbol());
        }
        imp.setCalibration(cal);
        // ImagePlus re-applies a signed 16-bit calibration with the unit "Gray Value" when it takes one on
        imp.getCalibration().setValueUnit(image.unit().symbol());
        imp.setProperty(INFO, info(image, Map.of()));
        return imp;
    }

    /**
     * The Info text for an image: provenance summary, modality, unit, exact geometry, provenance JSON when
     * synthetic, then any extra entries (a format's own).
     */
    public static String info(MedicalImage<?> image, Map<String, String> extra) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(InfoLines.MODALITY, image.modality().dicomCode());
        entries.put(InfoLines.UNIT, image.unit().symbol());
        entries.put(InfoLines.SPACING, InfoLines.numbers(image.geometry().spacing()));
        entries.put(InfoLines.ORIGIN, InfoLines.numbers(image.geometry().origin()));
        entries.put(InfoLines.DIRECTION, InfoLines.numbers(image.geometry().direction()));
        if (image.isSynthetic()) {
            entries.put(InfoLines.PROVENANCE, image.provenance().toJson());
        }
        entries.putAll(extra);
        return InfoLines.format(image.provenance().summary(), entries);
    }

    /** The image's arrays in ImgLib2 plane order, or null when its planes are not whole arrays. */
    private static Object[] sharedPlanes(Img<?> pixels, int planeSize, int count) {
        Object[] planes = new Object[count];
        if (pixels instanceof PlanarImg<?, ?> planar) {
            for (int i = 0; i < count; i++) {
                planes[i] = ((ArrayDataAccess<?>) planar.getPlane(i)).getCurrentStorageArray();
            }
            return planes;
        }
        if (count == 1 && pixels instanceof ArrayImg<?, ?> array && array.update(null) instanceof ArrayDataAccess<?> a
                && a.getArrayLength() == planeSize) {
            planes[0] = a.getCurrentStorageArray();
            return planes;
        }
        return null;
    }

    private static Object[] copiedPlanes(Img<?> pixels, Pixels kind, int planeSize, int count) {
        Object[] planes = new Object[count];
        Cursor<? extends RealType<?>> cursor = Views.flatIterable(realPixels(pixels)).cursor();
        for (int p = 0; p < count; p++) {
            planes[p] = kind.newPlane(planeSize);
            for (int i = 0; i < planeSize; i++) {
                kind.set(planes[p], i, cursor.next().getRealDouble());
            }
        }
        return planes;
    }

    @SuppressWarnings("unchecked")
    private static Img<? extends RealType<?>> realPixels(Img<?> pixels) {
        return (Img<? extends RealType<?>>) pixels;
    }

    /**
     * A MedSynth image over the ImagePlus's pixels (shared, see the class comment): 8-bit (also with a colour
     * table) as UnsignedByteType, 16-bit as UnsignedShortType (ShortType, copied, when ImageJ calibrates it as
     * signed), 32-bit as FloatType. Metadata come from the {@code medsynth.*} Info lines when present, else the
     * image is an acquired one of modality OT in arbitrary units.
     *
     * @throws IllegalArgumentException for RGB images, a calibration unit that is not a length, or malformed
     *         {@code medsynth.*} lines
     */
    public static MedicalImage<?> toMedicalImage(ImagePlus imp) {
        if (imp.getType() == ImagePlus.COLOR_RGB) {
            throw new IllegalArgumentException("'" + imp.getTitle() + "' is an RGB colour image; MedSynth reads grey "
                    + "images (8-bit, 16-bit or 32-bit)");
        }
        Map<String, String> info = InfoLines.parse(imp.getInfoProperty());
        Calibration cal = imp.getCalibration();
        int channels = imp.getNChannels();
        int depth = imp.getNSlices();
        int frames = imp.getNFrames();
        int spatial = depth > 1 || (info.containsKey(InfoLines.ORIGIN)
                && InfoLines.numbers(info, InfoLines.ORIGIN).length == 3) ? 3 : 2;
        Geometry geometry = geometry(cal, spatial, info);
        ImageStack stack = imp.getStack();
        List<Object> planes = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < channels; c++) {
                for (int z = 0; z < depth; z++) {
                    planes.add(stack.getPixels(imp.getStackIndex(c + 1, z + 1, t + 1)));
                }
            }
        }
        List<String> labels = new ArrayList<>();
        if (channels * frames > 1) {
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < channels; c++) {
                    labels.add(frames == 1 ? "channel " + c : channels == 1 ? "frame " + t : "frame " + t + " channel " + c);
                }
            }
        }
        long[] shape = spatial == 3 ? new long[] {imp.getWidth(), imp.getHeight(), depth}
                : new long[] {imp.getWidth(), imp.getHeight()};
        if (!labels.isEmpty()) {
            shape = Arrays.copyOf(shape, shape.length + 1);
            shape[shape.length - 1] = labels.size();
        }
        Img<?> pixels = imp.getBitDepth() == 16 && cal.isSigned16Bit() ? signedShorts(planes, shape)
                : wrap(planes, shape);
        return metadata(pixels, geometry, labels, info, imp.getTitle());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static MedicalImage<?> metadata(Img<?> pixels, Geometry geometry, List<String> labels,
            Map<String, String> info, String title) {
        try {
            Modality modality = info.containsKey(InfoLines.MODALITY) ? Modality.fromCode(info.get(InfoLines.MODALITY))
                    : Modality.OT;
            IntensityUnit unit = info.containsKey(InfoLines.UNIT) ? IntensityUnit.fromSymbol(info.get(InfoLines.UNIT))
                    : IntensityUnit.ARBITRARY;
            Provenance provenance = info.containsKey(InfoLines.PROVENANCE)
                    ? Provenance.fromJson(info.get(InfoLines.PROVENANCE)) : Provenance.acquired();
            return new MedicalImage(pixels, geometry, modality, unit, labels, provenance);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + title + "' has malformed MedSynth Info lines: " + e.getMessage(), e);
        }
    }

    /**
     * Spacing from the calibration (replaced by Info's exact value where the two agree, as after a TIFF round trip
     * through ImageJ's rational resolution tags); origin and direction from Info when present, else the
     * calibration's origin with identity directions.
     */
    private static Geometry geometry(Calibration cal, int spatial, Map<String, String> info) {
        Double perUnit = MILLIMETRES_PER_UNIT.get(cal.getUnit().toLowerCase(Locale.ROOT).strip());
        if (perUnit == null) {
            throw new IllegalArgumentException("calibration unit '" + cal.getUnit() + "' is not a length unit");
        }
        double[] spacing = {cal.pixelWidth * perUnit, cal.pixelHeight * perUnit, cal.pixelDepth * perUnit};
        spacing = Arrays.copyOf(spacing, spatial);
        double[] origin = {-cal.xOrigin * spacing[0], -cal.yOrigin * spacing[1],
            spatial == 3 ? -cal.zOrigin * spacing[2] : 0};
        origin = Arrays.copyOf(origin, spatial);
        double[] direction = Geometry.identity(spatial);
        if (info.containsKey(InfoLines.SPACING)) {
            double[] exact = InfoLines.numbers(info, InfoLines.SPACING);
            for (int i = 0; i < Math.min(spatial, exact.length); i++) {
                if (Math.abs(exact[i] - spacing[i]) <= SAME_SPACING * spacing[i]) {
                    spacing[i] = exact[i];
                }
            }
        }
        if (info.containsKey(InfoLines.ORIGIN) && info.containsKey(InfoLines.DIRECTION)) {
            double[] o = InfoLines.numbers(info, InfoLines.ORIGIN);
            double[] d = InfoLines.numbers(info, InfoLines.DIRECTION);
            if (o.length == spatial && d.length == spatial * spatial) {
                origin = o;
                direction = d;
            }
        }
        return new Geometry(spacing, origin, direction);
    }

    /** ImgLib2 over ImageJ's arrays: an ArrayImg for one plane, else a PlanarImg. */
    private static Img<?> wrap(List<Object> planes, long[] shape) {
        Object first = planes.get(0);
        if (planes.size() == 1) {
            return switch (first) {
                case byte[] a -> ArrayImgs.unsignedBytes(a, shape);
                case short[] a -> ArrayImgs.unsignedShorts(a, shape);
                case float[] a -> ArrayImgs.floats(a, shape);
                default -> throw new IllegalArgumentException("ImageJ plane of " + first.getClass().getSimpleName());
            };
        }
        switch (first) {
            case byte[] a -> {
                PlanarImg<UnsignedByteType, ByteArray> img = new PlanarImg<>(
                        planes.stream().map(p -> new ByteArray((byte[]) p)).toList(), shape, new Fraction());
                img.setLinkedType(new UnsignedByteType(img));
                return img;
            }
            case short[] a -> {
                PlanarImg<UnsignedShortType, ShortArray> img = new PlanarImg<>(
                        planes.stream().map(p -> new ShortArray((short[]) p)).toList(), shape, new Fraction());
                img.setLinkedType(new UnsignedShortType(img));
                return img;
            }
            case float[] a -> {
                PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(
                        planes.stream().map(p -> new FloatArray((float[]) p)).toList(), shape, new Fraction());
                img.setLinkedType(new FloatType(img));
                return img;
            }
            default -> throw new IllegalArgumentException("ImageJ plane of " + first.getClass().getSimpleName());
        }
    }

    /** ImageJ's signed 16-bit (stored + 32768) as a ShortType copy. */
    private static Img<ShortType> signedShorts(List<Object> planes, long[] shape) {
        int planeSize = ((short[]) planes.get(0)).length;
        short[] values = new short[planeSize * planes.size()];
        for (int p = 0; p < planes.size(); p++) {
            short[] plane = (short[]) planes.get(p);
            for (int i = 0; i < planeSize; i++) {
                values[p * planeSize + i] = (short) ((plane[i] & 0xffff) - SIGNED_16_SHIFT);
            }
        }
        return ArrayImgs.shorts(values, shape);
    }
}
