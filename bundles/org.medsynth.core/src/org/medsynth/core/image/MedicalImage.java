package org.medsynth.core.image;

import java.util.List;
import java.util.Objects;

import net.imglib2.img.Img;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.util.Intervals;

/**
 * Pixels + geometry + meaning. The pixels are an ImgLib2 {@link Img} whose first {@code geometry.dimensions()} axes
 * are spatial (x, y[, z]); an optional last axis holds channels named by {@code channelLabels}. Immutable apart from
 * the pixel container itself, which is shared, never copied, by the {@code with*} methods.
 */
public final class MedicalImage<T extends NativeType<T> & RealType<T>> {
    private final Img<T> pixels;
    private final Geometry geometry;
    private final Modality modality;
    private final IntensityUnit unit;
    private final List<String> channelLabels;
    private final Provenance provenance;

    public MedicalImage(Img<T> pixels, Geometry geometry, Modality modality, IntensityUnit unit,
            List<String> channelLabels, Provenance provenance) {
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.modality = Objects.requireNonNull(modality, "modality");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.channelLabels = List.copyOf(Objects.requireNonNullElse(channelLabels, List.of()));
        this.provenance = Objects.requireNonNull(provenance, "provenance");
        int expectedAxes = geometry.dimensions() + (this.channelLabels.isEmpty() ? 0 : 1);
        if (pixels.numDimensions() != expectedAxes) {
            throw new IllegalArgumentException("pixel container has " + pixels.numDimensions() + " axes but geometry has "
                    + geometry.dimensions() + (this.channelLabels.isEmpty() ? "" : " plus a channel axis"));
        }
        if (!this.channelLabels.isEmpty() && pixels.dimension(expectedAxes - 1) != this.channelLabels.size()) {
            throw new IllegalArgumentException("channel axis has " + pixels.dimension(expectedAxes - 1)
                    + " entries but " + this.channelLabels.size() + " labels were given");
        }
    }

    /** A single-channel image with the provenance of an acquired image. */
    public static <T extends NativeType<T> & RealType<T>> MedicalImage<T> of(Img<T> pixels, Geometry geometry,
            Modality modality, IntensityUnit unit) {
        return new MedicalImage<>(pixels, geometry, modality, unit, List.of(), Provenance.acquired());
    }

    public Img<T> pixels() {
        return pixels;
    }

    public Geometry geometry() {
        return geometry;
    }

    public Modality modality() {
        return modality;
    }

    public IntensityUnit unit() {
        return unit;
    }

    public List<String> channelLabels() {
        return channelLabels;
    }

    public int channels() {
        return channelLabels.isEmpty() ? 1 : channelLabels.size();
    }

    public Provenance provenance() {
        return provenance;
    }

    public boolean isSynthetic() {
        return provenance.synthetic();
    }

    public long[] dimensions() {
        return Intervals.dimensionsAsLongArray(pixels);
    }

    /** The same pixels (not copied) with another provenance. */
    public MedicalImage<T> withProvenance(Provenance newProvenance) {
        return new MedicalImage<>(pixels, geometry, modality, unit, channelLabels, newProvenance);
    }

    public MedicalImage<T> withGeometry(Geometry newGeometry) {
        return new MedicalImage<>(pixels, newGeometry, modality, unit, channelLabels, provenance);
    }

    @Override
    public String toString() {
        return "MedicalImage[" + java.util.Arrays.toString(dimensions()) + " " + pixels.firstElement().getClass()
                .getSimpleName() + ", " + modality.dicomCode() + ", " + unit.symbol() + ", " + geometry + "]";
    }
}
