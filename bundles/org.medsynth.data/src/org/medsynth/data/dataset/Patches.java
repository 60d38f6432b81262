package org.medsynth.data.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.MedicalImage;

/**
 * Cuts an image into overlapping patches and stitches patches back. Patch starts on an axis are {@code 0, stride,
 * 2·stride, ...} with {@code stride = size − overlap}, plus a last patch flush with the far edge, so every pixel is
 * covered. Stitching averages the patches where they overlap, weighted by {@link Weighting}; patches cut from one
 * image stitch back to exactly that image (the weighted sums are exact in double precision).
 */
public final class Patches {
    private Patches() {
    }

    /** A patch and where its first pixel lies in the full image (pixel index). */
    public record Patch(int[] offset, MedicalImage<FloatType> image) {
        public Patch {
            offset = offset.clone();
        }

        @Override
        public int[] offset() {
            return offset.clone();
        }
    }

    /** How a patch's pixels count in an overlap. */
    public enum Weighting {
        /** Every pixel alike: the plain mean of the overlapping patches. */
        UNIFORM,
        /**
         * A pixel counts by its distance to the patch edge (product over axes of {@code min(i + 1, n − i)}), so
         * predictions near a patch border, which saw less context, weigh less.
         */
        LINEAR
    }

    /**
     * Cuts {@code image} into patches of {@code size} overlapping by {@code overlap} pixels per axis.
     *
     * @throws IllegalArgumentException if a patch is larger than the image (crop or pad it first) or the overlap is
     *                                  not smaller than the patch
     */
    public static List<Patch> extract(MedicalImage<?> image, int[] size, int[] overlap) {
        Geometry g = image.geometry();
        int d = g.dimensions();
        if (size.length != d || overlap.length != d) {
            throw new IllegalArgumentException("patch size and overlap need " + d + " values each, got "
                    + Arrays.toString(size) + " and " + Arrays.toString(overlap));
        }
        Voxels in = Voxels.of(image);
        int[][] starts = new int[d][];
        for (int a = 0; a < d; a++) {
            if (size[a] > in.size[a]) {
                throw new IllegalArgumentException("patch size " + size[a] + " on axis " + a + " exceeds the image's "
                        + in.size[a] + " pixels; pad the image first");
            }
            if (size[a] < 1 || overlap[a] < 0 || overlap[a] >= size[a]) {
                throw new IllegalArgumentException("axis " + a + ": patch size " + size[a] + " and overlap " + overlap[a]
                        + " need size >= 1 and 0 <= overlap < size");
            }
            starts[a] = starts(in.size[a], size[a], size[a] - overlap[a]);
        }
        List<Patch> patches = new ArrayList<>();
        int[] which = new int[d];
        int[] counts = Arrays.stream(starts).mapToInt(s -> s.length).toArray();
        do {
            int[] offset = new int[d];
            double[] start = new double[d];
            for (int a = 0; a < d; a++) {
                offset[a] = starts[a][which[a]];
                start[a] = offset[a];
            }
            Voxels out = new Voxels(size.clone(), in.channels);
            int[] p = new int[d];
            int[] q = new int[d];
            int flat = 0;
            do {
                for (int a = 0; a < d; a++) {
                    q[a] = p[a] + offset[a];
                }
                int source = in.index(q);
                for (int c = 0; c < in.channels; c++) {
                    out.data[c * out.perChannel() + flat] = in.data[c * in.perChannel() + source];
                }
                flat++;
            } while (Voxels.next(p, size));
            patches.add(new Patch(offset, out.image(g.withOrigin(g.indexToPhysical(start)), image)));
        } while (Voxels.next(which, counts));
        return patches;
    }

    private static int[] starts(int n, int size, int stride) {
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + size < n; s += stride) {
            starts.add(s);
        }
        starts.add(n - size);
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Stitches patches into an image of the size, channels, geometry and meaning of {@code template}.
     *
     * @throws IllegalArgumentException if a patch falls outside the template or has other channels, or if a pixel is
     *                                  covered by no patch
     */
    public static MedicalImage<FloatType> stitch(List<Patch> patches, MedicalImage<?> template, Weighting weighting) {
        int d = template.geometry().dimensions();
        int[] size = new int[d];
        for (int a = 0; a < d; a++) {
            size[a] = Math.toIntExact(template.pixels().dimension(a));
        }
        int channels = template.channels();
        int perChannel = Math.toIntExact(Voxels.count(size));
        double[] sum = new double[perChannel * channels];
        double[] weight = new double[perChannel];
        for (Patch patch : patches) {
            Voxels v = Voxels.of(patch.image());
            int[] offset = patch.offset();
            for (int a = 0; a < d; a++) {
                if (v.size.length != d || offset[a] < 0 || offset[a] + v.size[a] > size[a]) {
                    throw new IllegalArgumentException("patch at " + Arrays.toString(offset) + " of size "
                            + Arrays.toString(v.size) + " does not fit in " + Arrays.toString(size));
                }
            }
            if (v.channels != channels) {
                throw new IllegalArgumentException("patch at " + Arrays.toString(offset) + " has " + v.channels
                        + " channels, the image " + channels);
            }
            int[] p = new int[d];
            int[] q = new int[d];
            int flat = 0;
            do {
                double w = 1;
                int target = 0;
                for (int a = d - 1; a >= 0; a--) {
                    q[a] = p[a] + offset[a];
                    target = target * size[a] + q[a];
                    if (weighting == Weighting.LINEAR) {
                        w *= Math.min(p[a] + 1, v.size[a] - p[a]);
                    }
                }
                weight[target] += w;
                for (int c = 0; c < channels; c++) {
                    sum[c * perChannel + target] += w * v.data[c * v.perChannel() + flat];
                }
                flat++;
            } while (Voxels.next(p, v.size));
        }
        Voxels out = new Voxels(size, channels);
        for (int i = 0; i < perChannel; i++) {
            if (weight[i] == 0) {
                int[] position = new int[d];
                int rest = i;
                for (int a = 0; a < d; a++) {
                    position[a] = rest % size[a];
                    rest /= size[a];
                }
                throw new IllegalArgumentException("pixel " + Arrays.toString(position) + " is covered by no patch");
            }
            for (int c = 0; c < channels; c++) {
                out.data[c * perChannel + i] = (float) (sum[c * perChannel + i] / weight[i]);
            }
        }
        return out.image(template.geometry(), template);
    }
}
