package org.medsynth.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Connected components of a binary mask (lesions, vertebrae, nuclei), labelled as scipy's {@code ndimage.label}
 * does: in scan order, x fastest, labels from 1.
 */
public final class ConnectedComponents {

    /** Which neighbours touch: faces only (4 in 2D, 6 in 3D) or faces, edges and corners (8 in 2D, 26 in 3D). */
    public enum Connectivity {
        FACE, FULL
    }

    /**
     * @param labels component label per voxel, 0 for background
     * @param sizes  voxels per component; {@code sizes[k]} belongs to label k + 1
     */
    public record Labelling(int[] labels, int[] sizes) {
        public int count() {
            return sizes.length;
        }
    }

    private ConnectedComponents() {
    }

    public static Labelling label(BinaryMask mask, Connectivity connectivity) {
        int[] dims = mask.dims();
        int[][] offsets = neighbourOffsets(dims.length, connectivity);
        boolean[] f = mask.foreground();
        int[] labels = new int[f.length];
        int[] sizes = new int[8];
        int count = 0;
        int[] queue = new int[f.length];
        int[] coordinate = new int[dims.length];
        for (int seed = 0; seed < f.length; seed++) {
            if (!f[seed] || labels[seed] != 0) {
                continue;
            }
            count++;
            labels[seed] = count;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            while (head < tail) {
                int voxel = queue[head++];
                decode(voxel, dims, coordinate);
                for (int[] offset : offsets) {
                    int neighbour = neighbour(coordinate, offset, dims);
                    if (neighbour >= 0 && f[neighbour] && labels[neighbour] == 0) {
                        labels[neighbour] = count;
                        queue[tail++] = neighbour;
                    }
                }
            }
            if (count > sizes.length) {
                sizes = Arrays.copyOf(sizes, 2 * sizes.length);
            }
            sizes[count - 1] = tail;
        }
        return new Labelling(labels, Arrays.copyOf(sizes, count));
    }

    /**
     * Components of at least {@code minVoxels} voxels and at least {@code minVolume} (mm³ in 3D, mm² in 2D).
     */
    public static int count(BinaryMask mask, Connectivity connectivity, int minVoxels, double minVolume) {
        double voxelVolume = mask.voxelVolume();
        int n = 0;
        for (int size : label(mask, connectivity).sizes()) {
            if (size >= minVoxels && size * voxelVolume >= minVolume) {
                n++;
            }
        }
        return n;
    }

    private static int[][] neighbourOffsets(int dimensions, Connectivity connectivity) {
        int all = (int) Math.pow(3, dimensions);
        return IntStream.range(0, all).mapToObj(code -> {
            int[] offset = new int[dimensions];
            for (int a = 0, c = code; a < dimensions; a++, c /= 3) {
                offset[a] = c % 3 - 1;
            }
            return offset;
        }).filter(o -> {
            int nonzero = (int) Arrays.stream(o).filter(d -> d != 0).count();
            return nonzero > 0 && (connectivity == Connectivity.FULL || nonzero == 1);
        }).toArray(int[][]::new);
    }

    private static void decode(int index, int[] dims, int[] coordinate) {
        for (int a = 0; a < dims.length; a++) {
            coordinate[a] = index % dims[a];
            index /= dims[a];
        }
    }

    /** Flat index of coordinate + offset, or −1 outside the grid. */
    private static int neighbour(int[] coordinate, int[] offset, int[] dims) {
        int index = 0;
        int stride = 1;
        for (int a = 0; a < dims.length; a++) {
            int c = coordinate[a] + offset[a];
            if (c < 0 || c >= dims[a]) {
                return -1;
            }
            index += c * stride;
            stride *= dims[a];
        }
        return index;
    }
}
