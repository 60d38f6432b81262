package org.medsynth.data.phantom;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;

/**
 * A CT-like torso in Hounsfield units with known anatomy: fat and soft-tissue body outline, two lungs, heart, a
 * contrast-filled aorta and a lumbar-thoracic spine of vertebral bodies separated by discs. Everything is defined
 * in millimetres in the patient frame (LPS: +x patient left, +y posterior, +z head), so tests can predict the HU at
 * any point and projectors can be checked against it. Later structures overwrite earlier ones.
 */
public final class TorsoPhantom {
    public static final float AIR = -1000;
    public static final float FAT = -100;
    public static final float SOFT_TISSUE = 40;
    public static final float LUNG = -850;
    public static final float BLOOD = 45;
    public static final float CONTRAST_BLOOD = 250;
    public static final float DISC = 90;
    public static final float BONE = 700;

    /** Vertebral body height and disc height (mm): one vertebra every 28 mm. */
    public static final double VERTEBRA_HEIGHT = 22;
    public static final double DISC_HEIGHT = 6;
    public static final double VERTEBRA_RADIUS = 18;
    /** Spine axis in the axial plane (mm). */
    public static final double SPINE_X = 0;
    public static final double SPINE_Y = 60;

    private interface Region {
        boolean contains(double x, double y, double z);
    }

    private record Structure(String name, float hu, Region region) {
    }

    private final List<Structure> structures = new ArrayList<>();
    private final double zMin;
    private final double zMax;

    /**
     * @param zMin inferior end of the body (mm)
     * @param zMax superior end of the body (mm)
     */
    public TorsoPhantom(double zMin, double zMax) {
        this.zMin = zMin;
        this.zMax = zMax;
        double height = zMax - zMin;
        double lungBase = zMin + 0.35 * height;
        add("fat", FAT, (x, y, z) -> ellipse(x, y, 0, 0, 160, 110) && inZ(z));
        add("soft tissue", SOFT_TISSUE, (x, y, z) -> ellipse(x, y, 0, 0, 148, 98) && inZ(z));
        add("right lung", LUNG, (x, y, z) -> ellipse(x, y, -75, -5, 55, 70) && z >= lungBase && z <= zMax - 10);
        add("left lung", LUNG, (x, y, z) -> ellipse(x, y, 75, -5, 55, 70) && z >= lungBase && z <= zMax - 10);
        add("heart", BLOOD, (x, y, z) -> ellipsoid(x, y, z, 22, -35, heartCentreZ(), 50, 42, 0.18 * height));
        add("aorta", CONTRAST_BLOOD, (x, y, z) -> ellipse(x, y, 18, 35, 12, 12) && inZ(z));
        add("disc", DISC, (x, y, z) -> ellipse(x, y, SPINE_X, SPINE_Y, VERTEBRA_RADIUS, VERTEBRA_RADIUS) && inZ(z));
        add("vertebral body", BONE, (x, y, z) -> ellipse(x, y, SPINE_X, SPINE_Y, VERTEBRA_RADIUS, VERTEBRA_RADIUS)
                && inZ(z) && isVertebra(z));
    }

    private void add(String name, float hu, Region region) {
        structures.add(new Structure(name, hu, region));
    }

    private boolean inZ(double z) {
        return z >= zMin && z <= zMax;
    }

    /** Whether height {@code z} lies in a vertebral body (not a disc); vertebrae start at {@code zMin}. */
    public boolean isVertebra(double z) {
        double period = VERTEBRA_HEIGHT + DISC_HEIGHT;
        double phase = Math.floorMod((long) Math.floor((z - zMin) * 1000), (long) (period * 1000)) / 1000.0;
        return phase < VERTEBRA_HEIGHT;
    }

    /** Number of whole vertebral bodies in the body's height. */
    public int vertebraCount() {
        double period = VERTEBRA_HEIGHT + DISC_HEIGHT;
        return (int) Math.floor((zMax - zMin + DISC_HEIGHT) / period);
    }

    private static boolean ellipse(double x, double y, double cx, double cy, double ax, double ay) {
        double u = (x - cx) / ax;
        double v = (y - cy) / ay;
        return u * u + v * v <= 1;
    }

    private static boolean ellipsoid(double x, double y, double z, double cx, double cy, double cz, double ax,
            double ay, double az) {
        double w = (z - cz) / az;
        return ellipse(x, y, cx, cy, ax, ay) && Math.abs(w) <= 1 && ellipse(x, y, cx, cy, ax * Math.sqrt(1 - w * w),
                ay * Math.sqrt(1 - w * w));
    }

    /** HU at a physical point (mm). */
    public float valueAt(double x, double y, double z) {
        float v = AIR;
        for (Structure s : structures) {
            if (s.region().contains(x, y, z)) {
                v = s.hu();
            }
        }
        return v;
    }

    /** Height (mm) of the heart's centre: the level of the default axial slice. */
    public double heartCentreZ() {
        return zMin + 0.6 * (zMax - zMin);
    }

    /**
     * Rasterises the torso on an axial grid centred in x/y, covering the body's z range.
     *
     * @param n             pixels per axial row and column
     * @param slices        number of axial slices
     * @param pixelMm       in-plane spacing
     * @param supersampling sub-samples per axis and voxel (partial-volume edges)
     */
    public MedicalImage<FloatType> rasterise(int n, int slices, double pixelMm, int supersampling) {
        double sliceMm = (zMax - zMin) / slices;
        double[] origin = {-0.5 * (n - 1) * pixelMm, -0.5 * (n - 1) * pixelMm, zMin + 0.5 * sliceMm};
        Geometry geometry = new Geometry(new double[] {pixelMm, pixelMm, sliceMm}, origin, Geometry.identity(3));
        float[] data = sample(n, slices, origin, pixelMm, sliceMm, supersampling, supersampling);
        return MedicalImage.of(ArrayImgs.floats(data, n, n, slices), geometry, Modality.CT, IntensityUnit.HOUNSFIELD);
    }

    /** The axial section at height {@code z} (mm), as a 2D image; its geometry keeps x/y of the volume's. */
    public MedicalImage<FloatType> axialSlice(int n, double pixelMm, double z, int supersampling) {
        double[] origin = {-0.5 * (n - 1) * pixelMm, -0.5 * (n - 1) * pixelMm, z};
        float[] data = sample(n, 1, origin, pixelMm, 0, supersampling, 1);
        Geometry geometry = new Geometry(new double[] {pixelMm, pixelMm}, new double[] {origin[0], origin[1]},
                Geometry.identity(2));
        return MedicalImage.of(ArrayImgs.floats(data, n, n), geometry, Modality.CT, IntensityUnit.HOUNSFIELD);
    }

    /** Mean HU over {@code inPlane² × alongZ} sub-samples of each voxel, x fastest. */
    private float[] sample(int n, int slices, double[] origin, double pixelMm, double sliceMm, int inPlane, int alongZ) {
        return VoxelSampler.sample(n, n, slices, inPlane, alongZ, (i, f) -> origin[0] + (i + f - 0.5) * pixelMm,
                (j, f) -> origin[1] + (j + f - 0.5) * pixelMm, (k, f) -> origin[2] + (k + f - 0.5) * sliceMm,
                this::valueAt);
    }
}
