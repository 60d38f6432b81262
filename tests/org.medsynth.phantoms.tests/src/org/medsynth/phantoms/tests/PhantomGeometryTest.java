package org.medsynth.phantoms.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.data.phantom.TorsoPhantom;

import net.imglib2.type.numeric.real.FloatType;

/** Known values of the procedural phantoms of org.medsynth.data at points whose anatomy is worked out by hand. */
class PhantomGeometryTest {
    private static final int N = 256;

    /** Pixel (x, y) of the 256² Shepp–Logan phantom; row 0 is the top (normalised y = +1). */
    private static float sheppLogan(MedicalImage<FloatType> phantom, int x, int y) {
        return Phantoms.data(phantom)[y * N + x];
    }

    @Test
    void sheppLoganIsOneOnTheSkullRimAndZeroOutside() {
        MedicalImage<FloatType> phantom = Phantoms.sheppLogan2d(N, 1.0, 2);
        // column 127 spans x in [-0.008, 0]; row 11 spans y in [0.906, 0.914]: inside the skull (b = 0.92), above
        // the brain (top at 0.874 - 0.018 = 0.856), so every sub-sample is skull only
        assertEquals(1.0f, sheppLogan(phantom, 127, 11), 1e-6f, "top of the skull rim");
        // column 213 spans x in [0.664, 0.672]: between the brain (a = 0.6624) and the skull (a = 0.69)
        assertEquals(1.0f, sheppLogan(phantom, 213, 127), 1e-6f, "right side of the skull rim");
        assertEquals(0.0f, sheppLogan(phantom, 0, 0), "corner, outside the head");
        assertEquals(0.0f, sheppLogan(phantom, 127, 1), "above the head (y > 0.92)");
        assertEquals(0.0f, sheppLogan(phantom, 250, 127), "right of the head (x > 0.69)");
        // the centre lies in skull (1) and brain (-0.8) only
        assertEquals(0.2f, sheppLogan(phantom, 127, 127), 1e-6f, "brain at the centre");
    }

    @Test
    void torsoHasTheHounsfieldUnitsOfItsAnatomyAtKnownPoints() {
        TorsoPhantom torso = new TorsoPhantom(-168, 168);
        double z = 0; // above the lung base at -168 + 0.35 * 336 = -50.4 mm
        assertEquals(TorsoPhantom.LUNG, torso.valueAt(-75, -5, z), "right lung centre");
        assertEquals(TorsoPhantom.LUNG, torso.valueAt(75, -5, z), "left lung centre");
        assertEquals(TorsoPhantom.CONTRAST_BLOOD, torso.valueAt(18, 35, z), "aorta");
        assertEquals(TorsoPhantom.AIR, torso.valueAt(0, 150, z), "behind the body (body half-depth 110 mm)");
        assertEquals(TorsoPhantom.AIR, torso.valueAt(0, 0, 200), "above the body");
        assertEquals(TorsoPhantom.FAT, torso.valueAt(0, -105, z), "anterior fat layer (98..110 mm)");
        // the first vertebral body spans z = -168..-146, then a 6 mm disc
        assertEquals(TorsoPhantom.BONE, torso.valueAt(TorsoPhantom.SPINE_X, TorsoPhantom.SPINE_Y, -157),
                "middle of the first vertebral body");
        assertEquals(TorsoPhantom.DISC, torso.valueAt(TorsoPhantom.SPINE_X, TorsoPhantom.SPINE_Y, -143),
                "middle of the first disc");
        assertEquals(TorsoPhantom.BONE, torso.valueAt(TorsoPhantom.SPINE_X, TorsoPhantom.SPINE_Y, -129),
                "middle of the second vertebral body");
    }

    @Test
    void vertebraCountIsWholeVertebraeInTheHeight() {
        assertEquals(12, new TorsoPhantom(-168, 168).vertebraCount(), "336 mm: 12 vertebrae of 22 + 6 mm");
        assertEquals(2, new TorsoPhantom(0, 50).vertebraCount(), "22 + 6 + 22 mm: exactly two bodies");
        assertEquals(1, new TorsoPhantom(0, 49).vertebraCount(), "the second body would be 1 mm short");
    }
}
