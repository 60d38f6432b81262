package org.medsynth.radiography.ct2x;

import java.util.SplittableRandom;

import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.physics.Volume;

/**
 * CT2X-GAN's training and evaluation data, drawn from a seeded stream: a CT cube (a torso phantom or, with
 * probability {@code headFraction}, the real head CT in a varied pose), one of the sweep's gantry angles, and the
 * view's DRR, rotated MIP and radiograph-style image ({@link Radiographs}). Radiograph-style images for training are
 * taken from other draws than the DRRs they are trained with, so the two domains are unpaired as in the paper.
 */
public final class Ct2xData {

    /** One view of one CT: the normalised cube and the view's images (row-major, [0, 1]). */
    public record View(Volume normalisedCt, double degrees, float[] drr, float[] mip, float[] radiograph) {
    }

    private final int ctSize;
    private final int imageSize;
    private final double[] angles;
    private final double headFraction;
    private final InvesaliusHeadCt head;

    /**
     * @param head the real head CT, or null when {@code headFraction} is 0
     */
    public Ct2xData(int ctSize, int imageSize, double[] angles, double headFraction, InvesaliusHeadCt head) {
        if (!(headFraction >= 0 && headFraction <= 1)) {
            throw new IllegalArgumentException("head fraction must lie in [0, 1], got " + headFraction);
        }
        if (headFraction > 0 && head == null) {
            throw new IllegalArgumentException("a head fraction of " + headFraction + " needs the head CT");
        }
        if (angles.length == 0) {
            throw new IllegalArgumentException("at least one gantry angle is needed");
        }
        this.ctSize = ctSize;
        this.imageSize = imageSize;
        this.angles = angles.clone();
        this.headFraction = headFraction;
        this.head = head;
    }

    public int ctSize() {
        return ctSize;
    }

    public int imageSize() {
        return imageSize;
    }

    /** A CT cube in HU: a varied torso, or the head CT in a varied pose. */
    public Volume anatomy(SplittableRandom random) {
        return random.nextDouble() < headFraction ? CtVolumes.head(head, ctSize, random)
                : CtVolumes.torso(ctSize, random);
    }

    /** A gantry angle of the sweep. */
    public double angle(SplittableRandom random) {
        return angles[random.nextInt(angles.length)];
    }

    /** The view of {@code hu} at {@code degrees}, its radiograph-style image's randomness from {@code random}. */
    public View view(Volume hu, double degrees, SplittableRandom random) {
        Volume normalised = Radiographs.normalisedCt(hu);
        return new View(normalised, degrees, Radiographs.drr(hu, imageSize, degrees),
                Radiographs.mip(normalised, imageSize, degrees),
                Radiographs.radiograph(hu, imageSize, degrees, random));
    }

    /** A random CT seen at a random angle of the sweep. */
    public View view(SplittableRandom random) {
        Volume hu = anatomy(random);
        return view(hu, angle(random), random);
    }
}
