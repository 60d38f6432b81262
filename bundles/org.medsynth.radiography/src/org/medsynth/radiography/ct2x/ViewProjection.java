package org.medsynth.radiography.ct2x;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;

/**
 * The fixed linear map that turns the CT encoder's feature cube ({@code cube³} positions) into a view's
 * {@code detector²} feature map with {@code slabs} depth slabs: weight of voxel v in pixel p of slab k = the length
 * (in voxels) of the C-arm ray through p inside v (exact, Siddon), divided by the cube side, when v's centre lies in
 * depth slab k along the beam (slab 0 nearest the source). Channels × slabs become the view's content channels: the
 * rotation of the content volume to the pose that the paper's generator renders, kept differentiable as a matrix
 * product. Matrices are computed once per angle and cached.
 */
public final class ViewProjection {
    private final int cube;
    private final int detector;
    private final int slabs;
    private final Map<Double, float[]> matrices = new ConcurrentHashMap<>();

    public ViewProjection(int cube, int detector, int slabs) {
        if (cube < 1 || detector < 1 || slabs < 1) {
            throw new IllegalArgumentException("feature cube, detector and slabs must be positive: " + cube + ", "
                    + detector + ", " + slabs);
        }
        this.cube = cube;
        this.detector = detector;
        this.slabs = slabs;
    }

    public int slabs() {
        return slabs;
    }

    public int detector() {
        return detector;
    }

    /**
     * The matrix (cube³ rows, slabs · detector² columns), row-major: row v holds voxel v's weight in every slab's
     * pixel, slab-major.
     */
    public float[] matrix(double degrees) {
        return matrices.computeIfAbsent(degrees, this::compute);
    }

    private float[] compute(double degrees) {
        int voxels = cube * cube * cube;
        int pixels = detector * detector;
        float[] matrix = new float[voxels * slabs * pixels];
        // the geometry is scale free: a unit voxel, the detector covering the cube as the images do
        ProjectionGeometry view = Radiographs.view(cube, detector, degrees);
        double a = Math.toRadians(degrees);
        double[] beam = {Math.sin(a), Math.cos(a)};
        double maxDepth = 0.5 * cube * Math.sqrt(2);
        for (int v = 0; v < voxels; v++) {
            float[] impulse = new float[voxels];
            impulse[v] = 1;
            float[] weights = XRayProjector.lineIntegrals(Volume.cube(impulse, cube, 1), view,
                    XRayProjector.Method.SIDDON, 0);
            double x = v % cube - 0.5 * (cube - 1);
            double y = (v / cube) % cube - 0.5 * (cube - 1);
            double depth = x * beam[0] + y * beam[1];
            int slab = Math.max(0, Math.min(slabs - 1, (int) Math.floor((depth / maxDepth + 1) / 2 * slabs)));
            int offset = v * slabs * pixels + slab * pixels;
            for (int p = 0; p < pixels; p++) {
                matrix[offset + p] = weights[p] / cube;
            }
        }
        return matrix;
    }
}
