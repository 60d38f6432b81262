package org.medsynth.spine.maskel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.spine.SpinePhantom;

/**
 * A coronal whole-body phantom, supine and seen antero-posteriorly as in a whole-body radiograph: the soft tissue of
 * head, neck, trunk, arms, hands, legs and feet, with a skeleton inside (skull with mandible, cervical column, the
 * thoracolumbar spine, ribs and pelvis of a {@link SpinePhantom}, clavicles, humeri, forearm and hand bones, femora,
 * patellae, tibiae, fibulae and feet). It renders the AP radiograph, −ln(I/I₀) = ∫μ dl as {@link SpinePhantom}'s
 * radiograph does, and the binary body mask of the same body: the (mask, X-ray) pairs of MaSkel.
 * <p>
 * Soft-tissue parts are tapered capsules (a segment with a radius changing linearly along it, rounded ends) of
 * elliptical cross-section, so an AP ray through a part crosses a chord of that ellipse; where parts overlap (the
 * joints, an arm against the trunk) the thickest counts, so the body has no seams. Long bones are capsules of
 * cancellous bone in a cortical shell ({@link SpinePhantom#shelledBoneIntegral}), the skull a cortical ellipsoidal
 * shell, and the thoracolumbar spine with ribs and pelvis is a {@link SpinePhantom} scaled to the body and laid
 * into the trunk (its bone clipped to the body outline).
 * <p>
 * The seed varies the body: stature 1500–1850 mm (the skeleton scales with it), build 0.9–1.3 (the widths of the
 * soft tissue only), each arm's abduction 8–60° and elbow bend −15…30°, each leg's abduction 0–12°, and a mild
 * scoliosis (Cobb angle 0–12°, apex T5–L2). Frame: x to the image's right and y down the image in mm, x = 0 on the
 * body's midline, y = 0 at the top edge of a square field of {@value #FIELD_MM} mm.
 */
public final class WholeBodyPhantom {
    /** Side of the square field (mm): the tallest body fits with its arms and feet. */
    public static final double FIELD_MM = 2000;
    public static final double MIN_STATURE_MM = 1500;
    public static final double MAX_STATURE_MM = 1850;
    public static final double MIN_BUILD = 0.9;
    public static final double MAX_BUILD = 1.3;
    /** Stature of the body the proportions below are given for (mm). */
    private static final double REFERENCE_STATURE_MM = 1700;
    private static final double TOP_MARGIN_MM = 60;
    private static final double SKULL_SHELL_MM = 7;
    private static final double MAX_SCOLIOSIS_DEGREES = 12;

    /**
     * How a body is built: stature (mm), build (width factor of the soft tissue), per side (image left, image right)
     * arm abduction and elbow bend and leg abduction (degrees), and the Cobb angle of its spine (degrees).
     */
    public record Body(double statureMm, double build, double[] armDegrees, double[] elbowDegrees,
            double[] legDegrees, double cobbDegrees) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "stature %.0f mm, build %.2f, arms %.0f°/%.0f° (elbows %.0f°/%.0f°), "
                    + "legs %.0f°/%.0f°, Cobb %.1f°", statureMm, build, armDegrees[0], armDegrees[1], elbowDegrees[0],
                    elbowDegrees[1], legDegrees[0], legDegrees[1], cobbDegrees);
        }
    }

    /** A tapered capsule: the segment a → b with radius ra at a changing linearly to rb at b (mm). */
    private record Capsule(double ax, double ay, double bx, double by, double ra, double rb) {
        static Capsule of(double[] a, double[] b, double ra, double rb) {
            return new Capsule(a[0], a[1], b[0], b[1], ra, rb);
        }

        /** Distance of the point from the segment and the radius there: {distance, radius}. */
        double[] offset(double x, double y) {
            double dx = bx - ax;
            double dy = by - ay;
            double length2 = dx * dx + dy * dy;
            double t = length2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length2));
            double ex = x - ax - t * dx;
            double ey = y - ay - t * dy;
            return new double[] {Math.sqrt(ex * ex + ey * ey), ra + (rb - ra) * t};
        }

        /** Whether the point is farther than the larger radius from the segment's bounding box (a cheap test). */
        boolean farFrom(double x, double y) {
            double r = Math.max(ra, rb);
            return x < Math.min(ax, bx) - r || x > Math.max(ax, bx) + r || y < Math.min(ay, by) - r
                    || y > Math.max(ay, by) + r;
        }
    }

    /** A soft-tissue part: a capsule whose AP depth is {@code depthRatio} times its width. */
    private record SoftPart(Capsule capsule, double depthRatio) {
        double thickness(double x, double y) {
            if (capsule.farFrom(x, y)) {
                return 0;
            }
            double[] o = capsule.offset(x, y);
            return SpinePhantom.chord(o[0], o[1], depthRatio * o[1]);
        }
    }

    private final Body body;
    private final SpinePhantom spine;
    /** Millimetres of this body per millimetre of the reference body. */
    private final double scale;
    private final double top;
    /** Where the spine phantom's T1 centre lies in this body's frame, and in the spine's. */
    private final double spineY0;
    private final double spineT1X;
    private final double spineT1Y;
    private final double trunkTop;
    private final double trunkBottom;
    private final double[] trunkKnotsY;
    private final double[] trunkKnotsHalfWidth;
    private final List<SoftPart> softParts = new ArrayList<>();
    private final List<Capsule> bones = new ArrayList<>();
    private final double headY;

    private WholeBodyPhantom(Body body, long seed) {
        checkRange("stature", body.statureMm(), MIN_STATURE_MM, MAX_STATURE_MM);
        checkRange("build", body.build(), MIN_BUILD, MAX_BUILD);
        checkRange("Cobb angle", body.cobbDegrees(), 0, MAX_SCOLIOSIS_DEGREES);
        for (int side = 0; side < 2; side++) {
            checkRange("arm abduction", body.armDegrees()[side], 0, 90);
            checkRange("elbow bend", body.elbowDegrees()[side], -30, 45);
            checkRange("leg abduction", body.legDegrees()[side], 0, 20);
        }
        this.body = body;
        SplittableRandom random = new SplittableRandom(seed);
        int apex = SpinePhantom.levelIndex("T5") + random.nextInt(SpinePhantom.levelIndex("L2")
                - SpinePhantom.levelIndex("T5") + 1);
        spine = SpinePhantom.singleCurve(random.nextLong(), body.cobbDegrees(), apex, 4);
        scale = body.statureMm() / REFERENCE_STATURE_MM;
        top = TOP_MARGIN_MM;
        double s = scale;
        double b = body.build();
        headY = y(115);
        spineT1X = spine.vertebrae().get(0).centreX();
        spineT1Y = spine.vertebrae().get(0).centreY();
        spineY0 = y(300);
        // trunk outline: half-width (reference mm, times build) at heights from the vertex
        trunkKnotsY = new double[] {y(255), y(300), y(330), y(450), y(600), y(740), y(850), y(905), y(925)};
        double[] halfWidths = {55, 165, 175, 168, 140, 160, 178, 150, 120};
        trunkKnotsHalfWidth = new double[halfWidths.length];
        for (int i = 0; i < halfWidths.length; i++) {
            trunkKnotsHalfWidth[i] = halfWidths[i] * b * s;
        }
        trunkTop = trunkKnotsY[0];
        trunkBottom = trunkKnotsY[trunkKnotsY.length - 1];
        // neck and cervical column
        softParts.add(new SoftPart(Capsule.of(new double[] {0, y(200)}, new double[] {0, y(275)}, 50 * b * s,
                52 * b * s), 1.0));
        bones.add(Capsule.of(new double[] {0, y(205)}, new double[] {0, y(282)}, 11 * s, 12 * s));
        // mandible
        for (int side = -1; side <= 1; side += 2) {
            bones.add(Capsule.of(new double[] {side * 48 * s, y(165)}, new double[] {side * 8 * s, y(212)}, 6 * s,
                    6 * s));
            bones.add(Capsule.of(new double[] {side * 20 * s, y(285)}, new double[] {side * 160 * s, y(300)},
                    7 * s, 7 * s)); // clavicle
        }
        for (int k = 0; k < 2; k++) {
            int side = 2 * k - 1;
            addArm(side, body.armDegrees()[k], body.elbowDegrees()[k], s, b);
            addLeg(side, body.legDegrees()[k], s, b);
        }
    }

    /** A body drawn from the seed within the documented ranges; the seed also shapes its spine. */
    public static WholeBodyPhantom random(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double stature = uniform(random, MIN_STATURE_MM, MAX_STATURE_MM);
        double build = uniform(random, MIN_BUILD, MAX_BUILD);
        double[] arms = {uniform(random, 8, 60), uniform(random, 8, 60)};
        double[] elbows = {uniform(random, -15, 30), uniform(random, -15, 30)};
        double[] legs = {uniform(random, 0, 12), uniform(random, 0, 12)};
        double cobb = uniform(random, 0, MAX_SCOLIOSIS_DEGREES);
        return new WholeBodyPhantom(new Body(stature, build, arms, elbows, legs, cobb), random.nextLong());
    }

    /**
     * The body described; {@code seed} draws the spine's apex and its vertebra sizes.
     *
     * @throws IllegalArgumentException naming a value outside its range (stature, build, Cobb angle as documented;
     *                                  arm abduction 0–90°, elbow bend −30–45°, leg abduction 0–20°)
     */
    public static WholeBodyPhantom of(Body body, long seed) {
        return new WholeBodyPhantom(body, seed);
    }

    private static double uniform(SplittableRandom random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    private static void checkRange(String what, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the %s must lie in %s..%s, got %s", what,
                    low, high, value));
        }
    }

    /** Height in this body's frame of a height (mm from the vertex) of the reference body. */
    private double y(double referenceMm) {
        return top + referenceMm * scale;
    }

    /** Upper arm, forearm and hand with their bones; the angles turn the arm outward from hanging straight down. */
    private void addArm(int side, double abduction, double elbowBend, double s, double b) {
        double[] shoulder = {side * 172 * s, y(320)};
        double[] elbow = along(shoulder, side, abduction, 300 * s);
        double forearmAngle = Math.max(0, abduction + elbowBend);
        double[] wrist = along(elbow, side, forearmAngle, 255 * s);
        double[] fingertips = along(wrist, side, forearmAngle, 185 * s);
        softParts.add(new SoftPart(Capsule.of(shoulder, elbow, 50 * b * s, 38 * b * s), 0.95));
        softParts.add(new SoftPart(Capsule.of(elbow, wrist, 38 * b * s, 27 * b * s), 0.8));
        softParts.add(new SoftPart(Capsule.of(along(wrist, side, forearmAngle, 40 * s), fingertips, 38 * s, 28 * s),
                0.35));
        bones.add(Capsule.of(shoulder, shoulder, 23 * s, 23 * s)); // humeral head
        bones.add(Capsule.of(shoulder, elbow, 11 * s, 13 * s));
        double[] across = across(side, forearmAngle);
        for (int k = -1; k <= 1; k += 2) {
            bones.add(Capsule.of(shift(elbow, across, k * 11 * s), shift(wrist, across, k * 10 * s), 6 * s, 6 * s));
        }
        for (double k = -1.5; k <= 1.5; k++) {
            bones.add(Capsule.of(shift(along(wrist, side, forearmAngle, 25 * s), across, k * 8 * s),
                    shift(along(wrist, side, forearmAngle, 165 * s), across, k * 12 * s), 4 * s, 3.5 * s));
        }
    }

    /** Thigh, leg and foot with their bones, from the spine phantom's hip joint. */
    private void addLeg(int side, double abduction, double s, double b) {
        double[] hip = toBody(spine.hipJoint(side));
        double[] knee = along(hip, side, abduction, 420 * s);
        double[] ankle = along(knee, side, abduction, 390 * s);
        double[] toes = along(ankle, side, abduction + 20, 70 * s);
        softParts.add(new SoftPart(Capsule.of(along(hip, side, abduction, -20 * s), knee, 88 * b * s, 55 * b * s),
                0.9));
        softParts.add(new SoftPart(Capsule.of(knee, ankle, 55 * b * s, 32 * b * s), 0.9));
        softParts.add(new SoftPart(Capsule.of(ankle, toes, 34 * s, 28 * s), 0.8));
        double[] across = across(side, abduction);
        double[] trochanter = {hip[0] + side * 45 * s, hip[1] + 30 * s};
        bones.add(Capsule.of(hip, hip, 24 * s, 24 * s)); // femoral head
        bones.add(Capsule.of(hip, trochanter, 15 * s, 16 * s));
        bones.add(Capsule.of(trochanter, along(knee, side, abduction, -30 * s), 14 * s, 14 * s));
        double[] condyles = along(knee, side, abduction, -12 * s);
        bones.add(Capsule.of(shift(condyles, across, -22 * s), shift(condyles, across, 22 * s), 18 * s, 18 * s));
        bones.add(Capsule.of(along(knee, side, abduction, -20 * s), along(knee, side, abduction, -20 * s), 20 * s,
                20 * s)); // patella
        double[] plateau = along(knee, side, abduction, 18 * s);
        bones.add(Capsule.of(shift(plateau, across, -20 * s), shift(plateau, across, 20 * s), 14 * s, 14 * s));
        bones.add(Capsule.of(plateau, ankle, 15 * s, 12 * s)); // tibia
        bones.add(Capsule.of(shift(plateau, across, 30 * s), shift(ankle, across, 24 * s), 6 * s, 6 * s)); // fibula
        bones.add(Capsule.of(ankle, toes, 16 * s, 10 * s));
    }

    /** The point {@code length} away from {@code from}, turned {@code degrees} outward (towards {@code side}). */
    private static double[] along(double[] from, int side, double degrees, double length) {
        double t = Math.toRadians(degrees);
        return new double[] {from[0] + side * length * Math.sin(t), from[1] + length * Math.cos(t)};
    }

    /** Unit vector across a limb turned {@code degrees} outward, pointing outward. */
    private static double[] across(int side, double degrees) {
        double t = Math.toRadians(degrees);
        return new double[] {side * Math.cos(t), -Math.sin(t)};
    }

    private static double[] shift(double[] p, double[] direction, double distance) {
        return new double[] {p[0] + direction[0] * distance, p[1] + direction[1] * distance};
    }

    /** A point of the spine phantom's frame in this body's frame. */
    private double[] toBody(double[] spinePoint) {
        return new double[] {(spinePoint[0] - spineT1X) * scale, spineY0 + (spinePoint[1] - spineT1Y) * scale};
    }

    public Body body() {
        return body;
    }

    /** The trunk's half-width at height y (mm), 0 above the neck base and below the crotch. */
    private double trunkHalfWidth(double y) {
        if (y < trunkTop || y > trunkBottom) {
            return 0;
        }
        for (int i = 1; i < trunkKnotsY.length; i++) {
            if (y <= trunkKnotsY[i]) {
                double f = (y - trunkKnotsY[i - 1]) / (trunkKnotsY[i] - trunkKnotsY[i - 1]);
                return trunkKnotsHalfWidth[i - 1] + f * (trunkKnotsHalfWidth[i] - trunkKnotsHalfWidth[i - 1]);
            }
        }
        return 0;
    }

    /** AP soft-tissue thickness (mm) at the point: the thickest part there; 0 outside the body. */
    double softTissue(double x, double y) {
        double half = trunkHalfWidth(y);
        double thickness = half > 0 ? SpinePhantom.chord(x, half, 0.6 * half) : 0;
        double e = Math.hypot(x / (75 * scale), (y - headY) / (112 * scale));
        thickness = Math.max(thickness, SpinePhantom.chord(e, 1, 95 * scale));
        for (SoftPart part : softParts) {
            thickness = Math.max(thickness, part.thickness(x, y));
        }
        return thickness;
    }

    /** Whether the point lies inside the body outline. */
    public boolean inBody(double x, double y) {
        return softTissue(x, y) > 0;
    }

    /** Line integral ∫μ dl (dimensionless) of an AP ray through the point: soft tissue plus the bone it crosses. */
    double lineIntegral(double x, double y) {
        double soft = softTissue(x, y);
        if (soft <= 0) {
            return 0;
        }
        double bone = 0;
        for (Capsule c : bones) {
            if (!c.farFrom(x, y)) {
                double[] o = c.offset(x, y);
                bone += SpinePhantom.shelledBoneIntegral(o[0], o[1], o[1]);
            }
        }
        // the skull: a cortical ellipsoidal shell around the brain
        double outer = Math.hypot(x / (70 * scale), (y - headY) / (106 * scale));
        double inner = Math.hypot(x / (70 * scale - SKULL_SHELL_MM), (y - headY) / (106 * scale - SKULL_SHELL_MM));
        bone += SpinePhantom.MU_CORTICAL_EXCESS * (SpinePhantom.chord(outer, 1, 88 * scale)
                - SpinePhantom.chord(inner, 1, 88 * scale - SKULL_SHELL_MM));
        if (trunkHalfWidth(y) > 0) {
            bone += scale * spine.boneLineIntegral(spineT1X + x / scale, spineT1Y + (y - spineY0) / scale);
        }
        return SpinePhantom.MU_SOFT_TISSUE * soft + bone;
    }

    /**
     * The AP radiograph on {@code size × size} pixels over the field: −ln(I/I₀) = ∫μ dl of each pixel, averaged
     * over 2 × 2 sub-rays for partial-volume edges (Beer–Lambert, as {@link SpinePhantom#radiograph}).
     */
    public MedicalImage<FloatType> radiograph(int size) {
        return radiographImage(radiographPixels(size), size);
    }

    /** The binary body mask on the radiograph's grid: 1 where the pixel centre lies inside the body, else 0. */
    public MedicalImage<FloatType> mask(int size) {
        return image(maskPixels(size), size, Modality.OT, IntensityUnit.LABEL);
    }

    /** A radiograph of this phantom's field from its pixels (−ln(I/I₀), row by row), e.g. a generated one. */
    static MedicalImage<FloatType> radiographImage(float[] pixels, int size) {
        return image(pixels, size, Modality.DX, IntensityUnit.OPACITY);
    }

    /** The radiograph's pixels, row by row. */
    float[] radiographPixels(int size) {
        double quarter = FIELD_MM / size / 4;
        return sample(size, (x, y) -> (lineIntegral(x - quarter, y - quarter) + lineIntegral(x + quarter,
                y - quarter) + lineIntegral(x - quarter, y + quarter) + lineIntegral(x + quarter, y + quarter)) / 4);
    }

    /** The mask's pixels, row by row. */
    float[] maskPixels(int size) {
        return sample(size, (x, y) -> inBody(x, y) ? 1 : 0);
    }

    private static float[] sample(int size, DoubleBinaryOperator atPixelCentre) {
        if (size < 16 || size > 2048) {
            throw new IllegalArgumentException("the image size must be 16..2048 pixels, got " + size);
        }
        double spacing = FIELD_MM / size;
        float[] data = new float[size * size];
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                data[j * size + i] = (float) atPixelCentre.applyAsDouble(-FIELD_MM / 2 + (i + 0.5) * spacing,
                        (j + 0.5) * spacing);
            }
        }
        return data;
    }

    private static MedicalImage<FloatType> image(float[] data, int size, Modality modality, IntensityUnit unit) {
        double spacing = FIELD_MM / size;
        Geometry geometry = new Geometry(new double[] {spacing, spacing},
                new double[] {-FIELD_MM / 2 + spacing / 2, spacing / 2}, Geometry.identity(2));
        return MedicalImage.of(ArrayImgs.floats(data, size, size), geometry, modality, unit);
    }
}
