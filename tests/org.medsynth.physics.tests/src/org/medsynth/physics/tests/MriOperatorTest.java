package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.physics.CoilSensitivities;
import org.medsynth.physics.ComplexArray;
import org.medsynth.physics.ConjugateGradient;
import org.medsynth.physics.Fft;
import org.medsynth.physics.SamplingMasks;
import org.medsynth.physics.SenseOperator;

class MriOperatorTest {

    @Test
    void fftMatchesTheDefiningSumForPowerOfTwoAndOtherLengths() {
        // radix 4, 2, 3, 5 and generic (7, 7²) Stockham passes; Bluestein for prime factors above 31 (127, 2·37)
        for (int n : new int[] {2, 16, 20, 45, 49, 210, 243, 320, 512, 127, 74}) {
            ComplexArray x = random(n, n);
            ComplexArray fast = x.copy();
            Fft.transform(fast.re(), fast.im(), false);
            for (int k = 0; k < n; k++) {
                double re = 0;
                double im = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * ((long) k * t % n) / n;
                    re += x.re()[t] * Math.cos(a) - x.im()[t] * Math.sin(a);
                    im += x.re()[t] * Math.sin(a) + x.im()[t] * Math.cos(a);
                }
                assertEquals(re, fast.re()[k], 1e-9 * n, "n=" + n + " k=" + k);
                assertEquals(im, fast.im()[k], 1e-9 * n, "n=" + n + " k=" + k);
            }
            Fft.transform(fast.re(), fast.im(), true);
            for (int t = 0; t < n; t++) {
                assertEquals(x.re()[t], fast.re()[t] / n, 1e-12 * n, "inverse n=" + n);
                assertEquals(x.im()[t], fast.im()[t] / n, 1e-12 * n, "inverse n=" + n);
            }
        }
    }

    @Test
    void centredFftIsUnitaryAndInvertsPerfectly() {
        for (int[] dims : new int[][] {{320, 320}, {12, 10, 14}, {7, 9}, {40, 37, 18}, {5, 1, 6}}) {
            int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            ComplexArray x = random(n, 3);
            ComplexArray k = x.copy();
            Fft.centred(k.re(), k.im(), dims, false);
            assertEquals(x.realDot(x), k.realDot(k), 1e-9 * x.realDot(x), "Parseval " + Arrays.toString(dims));
            Fft.centred(k.re(), k.im(), dims, true);
            for (int i = 0; i < n; i++) {
                assertEquals(x.re()[i], k.re()[i], 1e-10);
                assertEquals(x.im()[i], k.im()[i], 1e-10);
            }
        }
        // centred: a constant image puts all its energy in the centre sample (ny/2, nx/2)
        double[] re = new double[8 * 6];
        Arrays.fill(re, 1);
        double[] im = new double[re.length];
        Fft.centred(re, im, new int[] {8, 6}, false);
        assertEquals(Math.sqrt(48), re[3 + 6 * 4], 1e-12);
    }

    @Test
    void maskedFftEqualsTheFullFftThenTheMaskAndZeroLinesStayZero() {
        int[][] shapes = {{40, 36}, {12, 10, 14}};
        boolean[][] masks = {SamplingMasks.uniform1d(40, 36, 4, 6), SamplingMasks.poissonDisc3d(12, 10, 14, 3, 2, 1)};
        for (int s = 0; s < shapes.length; s++) {
            int n = Arrays.stream(shapes[s]).reduce(1, (a, b) -> a * b);
            // two images in a batch, as coil-major multi-coil arrays are
            ComplexArray x = random(2 * n, 30 + s);
            ComplexArray expected = x.copy();
            Fft.centred(expected.re(), expected.im(), shapes[s], false);
            ComplexArray masked = x.copy();
            Fft.centred(masked.re(), masked.im(), shapes[s], false, masks[s]);
            for (int i = 0; i < 2 * n; i++) {
                boolean kept = masks[s][i % n];
                assertEquals(kept ? expected.re()[i] : 0, masked.re()[i], 1e-12, "shape " + s + " point " + i);
                assertEquals(kept ? expected.im()[i] : 0, masked.im()[i], 1e-12, "shape " + s + " point " + i);
            }
            // the inverse of masked k-space skips its empty lines and still inverts the dense transform of it
            ComplexArray dense = masked.copy();
            double[] denseRe = dense.re();
            // a tiny value on every line forces every line through the transform
            for (int i = 0; i < denseRe.length; i++) {
                denseRe[i] += masked.re()[i] == 0 ? 1e-300 : 0;
            }
            Fft.centred(masked.re(), masked.im(), shapes[s], true);
            Fft.centred(dense.re(), dense.im(), shapes[s], true);
            for (int i = 0; i < 2 * n; i++) {
                assertEquals(dense.re()[i], masked.re()[i], 1e-12);
                assertEquals(dense.im()[i], masked.im()[i], 1e-12);
            }
        }
    }

    @Test
    void senseAdjointSatisfiesTheInnerProductIdentity() {
        int ny = 40;
        int nx = 36;
        boolean[] mask = SamplingMasks.gaussian1d(ny, nx, 3, 6, 0.25, 5);
        SenseOperator a = new SenseOperator(CoilSensitivities.simulate(6, ny, nx), new int[] {ny, nx}, mask);
        ComplexArray x = random(ny * nx, 11);
        ComplexArray y = random(6 * ny * nx, 12);
        ComplexArray ax = a.forward(x);
        ComplexArray ahy = a.adjoint(y);
        // ⟨Ax, y⟩ = ⟨x, Aᴴy⟩, real and imaginary parts
        assertEquals(ax.realDot(y), x.realDot(ahy), 1e-9 * Math.sqrt(ax.realDot(ax) * y.realDot(y)));
        assertEquals(ax.imagDot(y), x.imagDot(ahy), 1e-9 * Math.sqrt(ax.realDot(ax) * y.realDot(y)));
    }

    @Test
    void masksReachTheirAccelerationAndKeepTheCentre() {
        int ny = 320;
        int nx = 320;
        boolean[][] masks = {SamplingMasks.uniform1d(ny, nx, 4, 24), SamplingMasks.gaussian1d(ny, nx, 4, 24, 0.2, 1),
            SamplingMasks.gaussian2d(ny, nx, 6, 10, 0.2, 2), SamplingMasks.poissonDisc(ny, nx, 6, 10, 3)};
        double[] expected = {320.0 / (80 + 18), 4, 6, 6};
        for (int m = 0; m < masks.length; m++) {
            assertTrue(masks[m][nx / 2 + nx * (ny / 2)], "centre sampled in mask " + m);
            double r = SamplingMasks.acceleration(masks[m]);
            assertEquals(expected[m], r, 0.35, "mask " + m);
        }
    }

    @Test
    void volumeMasksUndersampleBothPhaseEncodeDirectionsAndReadOutFully() {
        int nz = 64;
        int ny = 80;
        int nx = 48;
        boolean[][] masks = {SamplingMasks.gaussian3d(nz, ny, nx, 6, 5, 0.25, 3),
            SamplingMasks.poissonDisc3d(nz, ny, nx, 6, 5, 4)};
        for (int m = 0; m < masks.length; m++) {
            boolean[] mask = masks[m];
            assertEquals(nz * ny * nx, mask.length);
            // Gaussian draws exactly round(N/R) lines; Poisson disc bisects its radius to within 1 %
            assertEquals(6, SamplingMasks.acceleration(mask), m == 0 ? 0.01 : 0.07, "mask " + m);
            int inner = 0;
            int outer = 0;
            int innerArea = 0;
            int outerArea = 0;
            for (int z = 0; z < nz; z++) {
                for (int y = 0; y < ny; y++) {
                    int line = nx * (y + ny * z);
                    boolean first = mask[line];
                    for (int x = 1; x < nx; x++) {
                        assertEquals(first, mask[line + x], "readout line (" + z + ", " + y + ") is all or nothing");
                    }
                    double r = Math.hypot(z - nz / 2, y - ny / 2);
                    if (r <= 5) {
                        assertTrue(first, "centre disc line (" + z + ", " + y + ") in mask " + m);
                    }
                    // density in the inner and outer parts of the ellipse inscribed in the plane
                    double e = Math.hypot((z - nz / 2.0) / (nz / 2.0), (y - ny / 2.0) / (ny / 2.0));
                    if (e < 0.3) {
                        innerArea++;
                        inner += first ? 1 : 0;
                    } else if (e > 0.7 && e < 1) {
                        outerArea++;
                        outer += first ? 1 : 0;
                    }
                }
            }
            assertTrue((double) inner / innerArea > 2.0 * outer / outerArea, "variable density in mask " + m + ": "
                    + (double) inner / innerArea + " vs " + (double) outer / outerArea);
        }
        assertThrows(IllegalArgumentException.class, () -> SamplingMasks.alongReadout(new boolean[10], 3, 4, 8));
    }

    @Test
    void volumeSenseOperatorWithAPhaseEncodeMaskIsAdjointAndKeepsOnlySampledLines() {
        int nz = 16;
        int ny = 20;
        int nx = 12;
        int[] dims = {nz, ny, nx};
        boolean[] mask = SamplingMasks.poissonDisc3d(nz, ny, nx, 3, 2, 8);
        SenseOperator a = SenseOperator.singleCoil(dims, mask);
        ComplexArray x = random(nz * ny * nx, 21);
        ComplexArray y = random(nz * ny * nx, 22);
        ComplexArray ax = a.forward(x);
        ComplexArray ahy = a.adjoint(y);
        double scale = Math.sqrt(ax.realDot(ax) * y.realDot(y));
        assertEquals(ax.realDot(y), x.realDot(ahy), 1e-9 * scale);
        assertEquals(ax.imagDot(y), x.imagDot(ahy), 1e-9 * scale);
        for (int i = 0; i < mask.length; i++) {
            if (!mask[i]) {
                assertEquals(0, Math.hypot(ax.re()[i], ax.im()[i]), 0, "unsampled k-space point " + i);
            }
        }
        // the sampled part of k-space is the full 3D FFT's
        ComplexArray full = x.copy();
        Fft.centred(full.re(), full.im(), dims, false);
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                assertEquals(full.re()[i], ax.re()[i], 1e-12);
                assertEquals(full.im()[i], ax.im()[i], 1e-12);
            }
        }
    }

    @Test
    void poissonDiscIsDenserAtTheCentre() {
        boolean[] mask = SamplingMasks.poissonDisc(128, 128, 5, 4, 9);
        int inner = 0;
        int outer = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                double r = Math.hypot(y - 64, x - 64);
                if (mask[x + 128 * y]) {
                    inner += r < 20 ? 1 : 0;
                    outer += r > 44 && r < 64 ? 1 : 0;
                }
            }
        }
        double innerDensity = inner / (Math.PI * 400);
        double outerDensity = outer / (Math.PI * (64 * 64 - 44 * 44));
        assertTrue(innerDensity > 2 * outerDensity, innerDensity + " vs " + outerDensity);
    }

    @Test
    void conjugateGradientSenseBeatsZeroFillingAndRootSumOfSquaresIsExactWhenFull() {
        int n = 64;
        float[] truth = Phantoms.data(Phantoms.sheppLogan2d(n, 1, 2));
        ComplexArray x = ComplexArray.ofReal(truth);
        ComplexArray maps = CoilSensitivities.simulate(8, n, n);
        int[] dims = {n, n};
        // fully sampled: RSS of the coil images is the magnitude, since Σ|S|² = 1
        boolean[] full = new boolean[n * n];
        Arrays.fill(full, true);
        SenseOperator fullOp = new SenseOperator(maps, dims, full);
        float[] rss = SenseOperator.rootSumOfSquares(fullOp.coilImages(fullOp.forward(x)), n * n);
        for (int i = 0; i < rss.length; i++) {
            assertEquals(Math.abs(truth[i]), rss[i], 1e-5);
        }
        boolean[] mask = SamplingMasks.uniform1d(n, n, 3, 8);
        SenseOperator a = new SenseOperator(maps, dims, mask);
        ComplexArray y = a.forward(x);
        double zeroFilled = error(a.adjoint(y), truth);
        ComplexArray solved = ConjugateGradient.solve(a.normal(1e-6), a.adjoint(y), 100, 1e-8);
        double senseError = error(solved, truth);
        assertTrue(senseError < 0.01 && senseError < 0.2 * zeroFilled, "SENSE " + senseError + " vs zero-filled "
                + zeroFilled);
        // hard data consistency puts the measurements back exactly
        ComplexArray consistent = a.dataConsistency(a.forward(ComplexArray.zeros(n * n)), y, Double.POSITIVE_INFINITY);
        assertEquals(0, error(consistent, y), 0);
    }

    private static double error(ComplexArray estimate, float[] truth) {
        return error(estimate, ComplexArray.ofReal(truth));
    }

    private static double error(ComplexArray estimate, ComplexArray truth) {
        double num = 0;
        for (int i = 0; i < truth.length(); i++) {
            num += Math.pow(estimate.re()[i] - truth.re()[i], 2) + Math.pow(estimate.im()[i] - truth.im()[i], 2);
        }
        return Math.sqrt(num / truth.realDot(truth));
    }

    static ComplexArray random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ComplexArray x = ComplexArray.zeros(n);
        for (int i = 0; i < n; i++) {
            x.re()[i] = random.nextGaussian();
            x.im()[i] = random.nextGaussian();
        }
        return x;
    }
}
