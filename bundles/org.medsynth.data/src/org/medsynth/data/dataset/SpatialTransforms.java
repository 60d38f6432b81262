package org.medsynth.data.dataset;

import java.util.Arrays;

import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.MedicalImage;

/**
 * Geometric transforms of images; each returns a new float image whose geometry says where its pixels are, and
 * treats every channel alike. Interpolation is linear throughout.
 */
public final class SpatialTransforms {
    private SpatialTransforms() {
    }

    /**
     * Resamples to a target spacing (mm per axis) by linear interpolation, keeping the origin (the centre of the
     * first pixel) and the direction. Axis {@code a} gets {@code max(1, round(n·s/t))} pixels; output pixel {@code j}
     * samples the input at continuous index {@code j·t/s}, where positions past the last input pixel centre take its
     * value (this is {@code scipy.ndimage.map_coordinates(order=1, mode='nearest')} at those coordinates). The
     * physical extent {@code n·s} is kept to within one target pixel.
     */
    public static MedicalImage<FloatType> resample(MedicalImage<?> image, double[] spacing) {
        Geometry g = image.geometry();
        int d = g.dimensions();
        if (spacing.length != d) {
            throw new IllegalArgumentException("target spacing has " + spacing.length + " values for a " + d + "D image");
        }
        for (double s : spacing) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("target spacing must be positive and finite: " + Arrays.toString(spacing));
            }
        }
        Voxels in = Voxels.of(image);
        int[] size = new int[d];
        double[] step = new double[d];
        for (int a = 0; a < d; a++) {
            size[a] = (int) Math.max(1, Math.round(in.size[a] * g.spacing(a) / spacing[a]));
            step[a] = spacing[a] / g.spacing(a);
        }
        Voxels out = new Voxels(size, in.channels);
        int[] p = new int[d];
        double[] index = new double[d];
        int flat = 0;
        do {
            for (int a = 0; a < d; a++) {
                index[a] = p[a] * step[a];
            }
            for (int c = 0; c < in.channels; c++) {
                out.data[c * out.perChannel() + flat] = (float) in.linear(c, index, Double.NaN);
            }
            flat++;
        } while (Voxels.next(p, size));
        return out.image(g.withSpacing(spacing), image);
    }

    /**
     * Crops or pads each axis to {@code size}, centred: a longer axis loses {@code floor((n − t)/2)} pixels at its
     * start, a shorter one gains {@code floor((t − n)/2)} pixels of {@code padValue} there (the rest at the end). The
     * origin moves so every kept pixel stays where it was in the patient.
     */
    public static MedicalImage<FloatType> cropOrPad(MedicalImage<?> image, int[] size, double padValue) {
        Geometry g = image.geometry();
        int d = g.dimensions();
        if (size.length != d) {
            throw new IllegalArgumentException("target size has " + size.length + " values for a " + d + "D image");
        }
        Voxels in = Voxels.of(image);
        int[] offset = new int[d];
        double[] start = new double[d];
        for (int a = 0; a < d; a++) {
            if (size[a] < 1) {
                throw new IllegalArgumentException("target size must be at least 1 on every axis: " + Arrays.toString(size));
            }
            offset[a] = in.size[a] >= size[a] ? (in.size[a] - size[a]) / 2 : -((size[a] - in.size[a]) / 2);
            start[a] = offset[a];
        }
        Voxels out = new Voxels(size.clone(), in.channels);
        int[] p = new int[d];
        int[] q = new int[d];
        int flat = 0;
        do {
            boolean inside = true;
            for (int a = 0; a < d; a++) {
                q[a] = p[a] + offset[a];
                inside &= q[a] >= 0 && q[a] < in.size[a];
            }
            int source = inside ? in.index(q) : -1;
            for (int c = 0; c < in.channels; c++) {
                out.data[c * out.perChannel() + flat] = inside ? in.data[c * in.perChannel() + source] : (float) padValue;
            }
            flat++;
        } while (Voxels.next(p, size));
        return out.image(g.withOrigin(g.indexToPhysical(start)), image);
    }

    /**
     * Reverses the pixel order along one axis. The geometry follows (origin at the former last pixel, that axis's
     * direction reversed), so every pixel keeps its place in the patient; only the array changes.
     */
    public static MedicalImage<FloatType> flip(MedicalImage<?> image, int axis) {
        Geometry g = image.geometry();
        int d = g.dimensions();
        if (axis < 0 || axis >= d) {
            throw new IllegalArgumentException("axis " + axis + " is not a spatial axis of a " + d + "D image");
        }
        Voxels in = Voxels.of(image);
        Voxels out = new Voxels(in.size.clone(), in.channels);
        int[] p = new int[d];
        int flat = 0;
        do {
            p[axis] = in.size[axis] - 1 - p[axis];
            int source = in.index(p);
            p[axis] = in.size[axis] - 1 - p[axis];
            for (int c = 0; c < in.channels; c++) {
                out.data[c * out.perChannel() + flat] = in.data[c * in.perChannel() + source];
            }
            flat++;
        } while (Voxels.next(p, in.size));
        double[] last = new double[d];
        last[axis] = in.size[axis] - 1;
        double[] direction = g.direction();
        for (int r = 0; r < d; r++) {
            direction[r * d + axis] = -direction[r * d + axis];
        }
        return out.image(new Geometry(g.spacing(), g.indexToPhysical(last), direction), image);
    }

    /**
     * Moves the content by an affine map about the image centre, on the same pixel grid (the geometry is kept: the
     * result is a deformed image, not the same anatomy described differently). Output pixel {@code p} takes the
     * input, linearly interpolated, at the physical offset {@code matrix · u + translationMm} from the centre, where
     * {@code u} is {@code p}'s own physical offset from the centre; {@code matrix} is d×d row-major in patient axes.
     * Samples that fall outside the input are {@code fill}.
     */
    public static MedicalImage<FloatType> affine(MedicalImage<?> image, double[] matrix, double[] translationMm,
            double fill) {
        Geometry g = image.geometry();
        int d = g.dimensions();
        if (matrix.length != d * d || translationMm.length != d) {
            throw new IllegalArgumentException("a " + d + "D affine needs a " + d + "×" + d + " matrix and " + d
                    + " translations, got " + matrix.length + " and " + translationMm.length + " values");
        }
        if (Double.isNaN(fill)) {
            throw new IllegalArgumentException("fill value must be a number");
        }
        Voxels in = Voxels.of(image);
        Voxels out = new Voxels(in.size.clone(), in.channels);
        double[] centre = new double[d];
        for (int a = 0; a < d; a++) {
            centre[a] = (in.size[a] - 1) / 2.0;
        }
        double[] origin = g.indexToPhysical(centre);
        int[] p = new int[d];
        double[] pd = new double[d];
        double[] target = new double[d];
        int flat = 0;
        do {
            for (int a = 0; a < d; a++) {
                pd[a] = p[a];
            }
            double[] u = g.indexToPhysical(pd);
            for (int r = 0; r < d; r++) {
                u[r] -= origin[r];
            }
            for (int r = 0; r < d; r++) {
                double v = translationMm[r];
                for (int c = 0; c < d; c++) {
                    v += matrix[r * d + c] * u[c];
                }
                target[r] = origin[r] + v;
            }
            double[] q = g.physicalToIndex(target);
            for (int c = 0; c < in.channels; c++) {
                out.data[c * out.perChannel() + flat] = (float) in.linear(c, q, fill);
            }
            flat++;
        } while (Voxels.next(p, in.size));
        return out.image(g, image);
    }
}
