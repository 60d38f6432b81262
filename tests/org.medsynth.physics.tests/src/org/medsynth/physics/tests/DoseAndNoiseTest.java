package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.BeerLambert;
import org.medsynth.physics.PetDose;
import org.medsynth.physics.RadonGeometry;

class DoseAndNoiseTest {

    @Test
    void attenuationFollowsTheTabulatedCoefficients() {
        AttenuationModel at60 = AttenuationModel.atEnergy(60);
        // NIST: water 0.2059 cm²/g, cortical bone 0.3148 cm²/g × 1.92 g/cm³ at 60 keV
        assertEquals(0.02059, at60.waterPerMm(), 1e-6);
        assertEquals(0.3148 * 1.92 / 10, at60.corticalBonePerMm(), 1e-6);
        assertEquals(0, at60.attenuationPerMm(-1000), 0);
        assertEquals(at60.waterPerMm(), at60.attenuationPerMm(0), 0);
        assertEquals(at60.corticalBonePerMm(), at60.attenuationPerMm(3000), 0);
        // bone-to-water contrast falls with energy (photoelectric effect)
        AttenuationModel at80kvp = AttenuationModel.atKvp(80);
        AttenuationModel at140kvp = AttenuationModel.atKvp(140);
        assertTrue(at80kvp.corticalBonePerMm() / at80kvp.waterPerMm()
                > at140kvp.corticalBonePerMm() / at140kvp.waterPerMm());
        assertThrows(IllegalArgumentException.class, () -> AttenuationModel.atEnergy(5));
    }

    @Test
    void photonCountsArePoissonAndReproducible() {
        float[] p = new float[40000];
        Arrays.fill(p, (float) Math.log(2));
        for (double incident : new double[] {8, 5000}) {
            float[] counts = BeerLambert.photonCounts(p, incident, 42);
            assertArrayEquals(counts, BeerLambert.photonCounts(p, incident, 42));
            double mean = incident / 2;
            double[] moments = moments(counts);
            assertEquals(mean, moments[0], 4 * Math.sqrt(mean / counts.length));
            assertEquals(mean, moments[1], 0.05 * mean);
        }
        float[] logs = BeerLambert.logTransform(BeerLambert.photonCounts(p, 1e6, 1), 1e6);
        assertEquals(Math.log(2), moments(logs)[0], 1e-3);
    }

    @Test
    void thinningKeepsTheBinomialFractionOfCounts() {
        float[] counts = new float[20000];
        Arrays.fill(counts, 100);
        float[] low = PetDose.thin(counts, 0.25, 3);
        double[] m = moments(low);
        assertEquals(25, m[0], 0.1);
        assertEquals(100 * 0.25 * 0.75, m[1], 1);
        assertThrows(IllegalArgumentException.class, () -> PetDose.thin(new float[] {1.5f}, 0.5, 1));
    }

    @Test
    void mlemRecoversTheActivityAndLowDoseIsNoisier() {
        int n = 64;
        float[] activity = Phantoms.data(Phantoms.sheppLogan2d(n, 1, 2));
        RadonGeometry scan = RadonGeometry.parallel(96, 91);
        float[] full = PetDose.acquire(activity, n, n, scan, 50, 11);
        float[] low = PetDose.thin(full, 0.1, 12);
        float[] fullImage = PetDose.mlem(full, n, n, scan, 30);
        float[] lowImage = PetDose.mlem(low, n, n, scan, 30);
        // MLEM images are in counts per unit activity: rescale by the count level and dose fraction
        double fullError = relativeError(fullImage, activity, 50);
        double lowError = relativeError(lowImage, activity, 5);
        assertTrue(fullError < 0.35, "full-dose MLEM error " + fullError);
        assertTrue(lowError > 1.3 * fullError, "low dose " + lowError + " vs full " + fullError);
    }

    private static double relativeError(float[] image, float[] truth, double scale) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < image.length; i++) {
            num += Math.pow(image[i] / scale - truth[i], 2);
            den += truth[i] * truth[i];
        }
        return Math.sqrt(num / den);
    }

    static double[] moments(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (float v : values) {
            var += (v - mean) * (v - mean);
        }
        return new double[] {mean, var / (values.length - 1)};
    }
}
