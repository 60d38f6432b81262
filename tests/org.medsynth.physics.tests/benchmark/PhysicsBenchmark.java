import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import org.medsynth.physics.CoilSensitivities;
import org.medsynth.physics.ComplexArray;
import org.medsynth.physics.Fft;
import org.medsynth.physics.FilteredBackProjection;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Radon;
import org.medsynth.physics.RadonGeometry;
import org.medsynth.physics.SamplingMasks;
import org.medsynth.physics.SenseOperator;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;

/**
 * Times the physics operators on the workloads of the issue and writes JSON: DRRs (trilinear ray marching, one
 * sample per voxel length) of 256² from 256³ and 512² from 512³, a trilinear-sampling micro-benchmark (the same
 * interpolation along the same rays with no clipping or geometry: the ceiling a ray marcher can reach), the 512²
 * Radon transform, its adjoint and FBP, the 8-coil SENSE operator at 320² and the bare centred 2D FFT of its 8 coil
 * images. Also writes the 256² DRR as raw
 * float32 so the peer can check it computes the same image.
 *   usage: java -cp org.medsynth.physics.jar PhysicsBenchmark.java OUT.json DRR256.f32 [SIZES]
 */
public class PhysicsBenchmark {

    static final double SOD = 1000;
    static final double SDD = 1500;

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path drrOut = Path.of(args[1]);
        int[] sizes = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt)
                .toArray() : new int[] {256, 512};
        List<String> entries = new ArrayList<>();
        for (int n : sizes) {
            Volume volume = Volume.cube(volume(n), n, 1.0);
            ProjectionGeometry view = view(n);
            // warm-up, then the best of three
            XRayProjector.lineIntegrals(volume, view, XRayProjector.Method.TRILINEAR, 1.0);
            float[] drr = null;
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                drr = XRayProjector.lineIntegrals(volume, view, XRayProjector.Method.TRILINEAR, 1.0);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            long samples = samples(volume, view, 1.0);
            double limit = samplingLimit(volume, view);
            double siddon = timeBest(() -> XRayProjector.lineIntegrals(volume, view, XRayProjector.Method.SIDDON, 0));
            entries.add(String.format(Locale.ROOT, "\"drr%d\": {\"seconds\": %.4f, \"ray_samples\": %d, "
                    + "\"ray_samples_per_s\": %.4e, \"limit_samples_per_s\": %.4e, \"siddon_seconds\": %.4f}",
                    n, best, samples, samples / best, limit, siddon));
            if (n == 256) {
                writeFloats(drrOut, drr);
            }
        }
        int n = 512;
        float[] image = volume2d(n);
        RadonGeometry scan = RadonGeometry.parallel(720, 729);
        float[] sinogram = Radon.forward(image, n, n, scan);
        double forward = timeBest(() -> Radon.forward(image, n, n, scan));
        double adjoint = timeBest(() -> Radon.adjoint(sinogram, n, n, scan));
        double fbp = timeBest(() -> FilteredBackProjection.reconstruct(sinogram, n, n, scan,
                FilteredBackProjection.Filter.RAM_LAK));
        entries.add(String.format(Locale.ROOT, "\"radon512\": {\"views\": 720, \"bins\": 729, \"forward_seconds\": %.4f,"
                + " \"adjoint_seconds\": %.4f, \"fbp_seconds\": %.4f}", forward, adjoint, fbp));
        int m = 320;
        int coils = 8;
        SenseOperator sense = new SenseOperator(CoilSensitivities.simulate(coils, m, m), new int[] {m, m},
                SamplingMasks.uniform1d(m, m, 4, 24));
        ComplexArray x = ComplexArray.ofReal(volume2d(m));
        ComplexArray k = sense.forward(x);
        // operators of milliseconds: the JIT compiles the FFT passes only after several calls, so both sides warm up
        // with 10 runs and keep the best of 10
        double senseForward = timeBest(() -> sense.forward(x), 10, 10);
        double senseAdjoint = timeBest(() -> sense.adjoint(k), 10, 10);
        // the bare centred FFT of the same 8 coil images, no mask: the kernel without the line skipping SENSE gets
        ComplexArray coilImages = sense.coilImages(k);
        double[] fftRe = coilImages.re();
        double[] fftIm = coilImages.im();
        double fft = timeBest(() -> Fft.centred(fftRe, fftIm, new int[] {m, m}, false), 10, 10);
        entries.add(String.format(Locale.ROOT, "\"sense320\": {\"coils\": %d, \"forward_seconds\": %.4f, "
                + "\"adjoint_seconds\": %.4f, \"fft_seconds\": %.4f}", coils, senseForward, senseAdjoint, fft));
        entries.add("\"processors\": " + Runtime.getRuntime().availableProcessors());
        Files.writeString(out, "{" + String.join(", ", entries) + "}\n");
    }

    /** The benchmark volume: a smooth ellipsoidal body with a brighter off-centre insert (same formula in Python). */
    static float[] volume(int n) {
        float[] v = new float[n * n * n];
        IntStream.range(0, n).parallel().forEach(k -> {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    double x = (i - (n - 1) / 2.0) / n;
                    double y = (j - (n - 1) / 2.0) / n;
                    double z = (k - (n - 1) / 2.0) / n;
                    double value = x * x / 0.16 + y * y / 0.12 + z * z / 0.2 <= 1 ? 0.02 : 0;
                    value += (x - 0.1) * (x - 0.1) + y * y + (z + 0.05) * (z + 0.05) <= 0.01 ? 0.04 : 0;
                    v[i + n * (j + n * k)] = (float) value;
                }
            }
        });
        return v;
    }

    static float[] volume2d(int n) {
        float[] img = new float[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double x = (i - (n - 1) / 2.0) / n;
                double y = (j - (n - 1) / 2.0) / n;
                img[i + n * j] = (x * x / 0.16 + y * y / 0.12 <= 1 ? 1f : 0f)
                        + ((x - 0.1) * (x - 0.1) + y * y <= 0.01 ? 2f : 0f);
            }
        }
        return img;
    }

    /** C-arm view with the n³ volume (1 mm voxels) filling most of an n² detector at magnification 1.5. */
    static ProjectionGeometry view(int n) {
        return ProjectionGeometry.cArm(SOD, SDD, n, n, 1.5, 1.5, 0);
    }

    /** Σ over rays of the marcher's samples: ceil(clipped path / step). */
    static long samples(Volume v, ProjectionGeometry view, double step) {
        long total = 0;
        double[] ray = new double[6];
        double half = v.nx() * v.sx() / 2;
        for (int r = 0; r < view.rows(); r++) {
            for (int c = 0; c < view.columns(); c++) {
                view.ray(c, r, ray);
                double lo = 0;
                double hi = 1;
                for (int a = 0; a < 3; a++) {
                    if (ray[3 + a] == 0) {
                        continue;
                    }
                    double t0 = (-half - ray[a]) / ray[3 + a];
                    double t1 = (half - ray[a]) / ray[3 + a];
                    lo = Math.max(lo, Math.min(t0, t1));
                    hi = Math.min(hi, Math.max(t0, t1));
                }
                if (hi > lo) {
                    double len = Math.sqrt(ray[3] * ray[3] + ray[4] * ray[4] + ray[5] * ray[5]);
                    total += Math.max(1, (long) Math.ceil((hi - lo) * len / step));
                }
            }
        }
        return total;
    }

    /**
     * Trilinear samples per second of the bare interpolation along the central part of the same rays: every
     * sample is an interior fast-path lookup in {@link Volume#sample}, both cores, no clipping or bounds handling.
     */
    static double samplingLimit(Volume v, ProjectionGeometry view) {
        int rows = view.rows();
        int cols = view.columns();
        int steps = v.nx();
        double[] sink = new double[rows];
        Runnable kernel = () -> IntStream.range(0, rows).parallel().forEach(r -> {
            double[] ray = new double[6];
            double acc = 0;
            for (int c = 0; c < cols; c++) {
                view.ray(c, r, ray);
                // sample the middle half of the segment between source and detector centre-plane crossing
                double t0 = (SOD - 0.45 * v.nx()) / SDD;
                double dt = 0.9 * v.nx() / SDD / steps;
                for (int s = 0; s < steps; s++) {
                    double t = t0 + s * dt;
                    acc += v.sample(ray[0] + t * ray[3], ray[1] + t * ray[4], ray[2] + t * ray[5]);
                }
            }
            sink[r] = acc;
        });
        kernel.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            kernel.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return (double) rows * cols * steps / best;
    }

    static double timeBest(Runnable task) {
        return timeBest(task, 1, 3);
    }

    static double timeBest(Runnable task, int warmups, int repeats) {
        for (int i = 0; i < warmups; i++) {
            task.run();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            task.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    static void writeFloats(Path path, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        Files.write(path, buffer.array());
    }
}
