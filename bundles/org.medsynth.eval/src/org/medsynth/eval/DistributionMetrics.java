package org.medsynth.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Distribution metrics on feature matrices (one row per image, n × d), comparing a reference sample X (real images)
 * with a candidate sample Y (generated images). Definitions follow the reference implementations named on each
 * method; the reference values and the script that produced them (numpy, scipy, scikit-learn) are kept with the tests.
 * <p>
 * Every metric returns a {@link Value}: the headline number, its named components (e.g. precision and recall) and
 * warnings the user must see next to it (tiny samples); a metric that is undefined for the sample sizes is NaN with
 * a warning saying why. Non-finite features are refused with the row and column.
 */
public final class DistributionMetrics {
    private DistributionMetrics() {
    }

    /**
     * A metric value with its components (name → value, in a fixed order) and warnings.
     */
    public record Value(double value, Map<String, Double> components, List<String> warnings) {
        public Value {
            components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Fréchet distance between Gaussians fitted to X and Y (FID on Inception features, Heusel et al. 2017):
     * |μx − μy|² + tr Σx + tr Σy − 2 tr (Σx Σy)^½, with sample covariances (n − 1). The trace of the matrix square
     * root is taken from the symmetric form Σx^½ Σy Σx^½, which has the same eigenvalues as Σx Σy but is symmetric,
     * so two symmetric eigendecompositions replace pytorch-fid's general {@code scipy.linalg.sqrtm}.
     */
    public static Value frechetDistance(double[][] x, double[][] y) {
        int d = checkFeatures("reference", x, -1);
        checkFeatures("candidate", y, d);
        List<String> warnings = new ArrayList<>();
        for (var sample : List.of(Map.entry("reference", x), Map.entry("candidate", y))) {
            int n = sample.getValue().length;
            if (n < 2) {
                warnings.add(sample.getKey() + " sample has " + n + " image(s): a covariance needs at least 2, FID is undefined");
            } else if (n <= d) {
                warnings.add(sample.getKey() + " sample has " + n + " images for " + d + " features: its covariance "
                        + "is singular and FID is strongly biased; use many more images than features");
            }
        }
        if (x.length < 2 || y.length < 2) {
            return new Value(Double.NaN, Map.of(), warnings);
        }
        double[] mx = mean(x);
        double[] my = mean(y);
        double[][] sx = covariance(x, mx);
        double[][] sy = covariance(y, my);
        double[][] rootX = new SymmetricEigen(sx).sqrtPsd();
        double[][] middle = multiply(multiply(rootX, sy), rootX);
        symmetrize(middle);
        double traceRoot = 0;
        for (double lambda : SymmetricEigen.eigenvalues(middle)) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        double meanTerm = 0;
        double traces = 0;
        for (int j = 0; j < d; j++) {
            meanTerm += (mx[j] - my[j]) * (mx[j] - my[j]);
            traces += sx[j][j] + sy[j][j];
        }
        double fid = meanTerm + traces - 2 * traceRoot;
        return new Value(fid, Map.of(), warnings);
    }

    /**
     * Subsets for {@link #kernelInceptionDistance}: {@code count} index lists of {@code size} distinct indices below
     * {@code n}, drawn without replacement (partial Fisher–Yates) from a {@link SplittableRandom} with {@code seed}.
     */
    public static int[][] randomSubsets(int n, int count, int size, long seed) {
        if (size > n) {
            throw new IllegalArgumentException("subset size " + size + " exceeds the sample size " + n);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] subsets = new int[count][];
        int[] pool = new int[n];
        for (int s = 0; s < count; s++) {
            for (int i = 0; i < n; i++) {
                pool[i] = i;
            }
            for (int i = 0; i < size; i++) {
                int j = i + random.nextInt(n - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            subsets[s] = Arrays.copyOf(pool, size);
        }
        return subsets;
    }

    /**
     * Kernel Inception Distance (Bińkowski et al. 2018) as torch-fidelity computes it: the unbiased MMD² with the
     * polynomial kernel k(a, b) = (a·b / d + 1)³ on each pair of subsets {@code xSubsets[s]}, {@code ySubsets[s]};
     * the value is the mean over subsets, components {@code mean} and {@code sd} (population standard deviation, as
     * torch-fidelity reports it).
     */
    public static Value kernelInceptionDistance(double[][] x, double[][] y, int[][] xSubsets, int[][] ySubsets) {
        int d = checkFeatures("reference", x, -1);
        checkFeatures("candidate", y, d);
        if (xSubsets.length != ySubsets.length || xSubsets.length == 0) {
            throw new IllegalArgumentException("need the same positive number of reference and candidate subsets, got "
                    + xSubsets.length + " and " + ySubsets.length);
        }
        int smallest = Integer.MAX_VALUE;
        for (int s = 0; s < xSubsets.length; s++) {
            smallest = Math.min(smallest, Math.min(xSubsets[s].length, ySubsets[s].length));
        }
        if (smallest < 2) {
            return new Value(Double.NaN, Map.of(), List.of("a KID subset has " + smallest
                    + " image(s): the unbiased MMD² needs at least 2 per sample, KID is undefined"));
        }
        // subsets are independent and each costs O(size² · d): spread them over the cores
        double[] mmds = IntStream.range(0, xSubsets.length).parallel()
                .mapToDouble(s -> unbiasedMmd2(rows(x, xSubsets[s]), rows(y, ySubsets[s]), (a, b) -> {
                    double t = dot(a, b) / d + 1;
                    return t * t * t;
                })).toArray();
        double mean = Arrays.stream(mmds).average().orElseThrow();
        double variance = Arrays.stream(mmds).map(m -> (m - mean) * (m - mean)).sum() / mmds.length;
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("mean", mean);
        components.put("sd", Math.sqrt(variance));
        return new Value(mean, components, List.of());
    }

    /**
     * The median heuristic bandwidth: the median Euclidean distance between distinct rows of X and Y pooled (numpy's
     * median: the mean of the two middle values for an even count).
     */
    public static double medianBandwidth(double[][] x, double[][] y) {
        double[][] pooled = new double[x.length + y.length][];
        System.arraycopy(x, 0, pooled, 0, x.length);
        System.arraycopy(y, 0, pooled, x.length, y.length);
        int n = pooled.length;
        if (n < 2) {
            throw new IllegalArgumentException("the median bandwidth needs at least 2 images in all, got " + n);
        }
        double[] distances = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                distances[k++] = Math.sqrt(squaredDistance(pooled[i], pooled[j]));
            }
        }
        Arrays.sort(distances);
        int mid = distances.length / 2;
        return distances.length % 2 == 1 ? distances[mid] : (distances[mid - 1] + distances[mid]) / 2;
    }

    /**
     * Unbiased MMD² (Gretton et al. 2012, eq. 3) with the Gaussian kernel k(a, b) = exp(−|a − b|² / 2σ²):
     * within-sample sums exclude the diagonal, so the estimate can be slightly negative when X and Y agree.
     */
    public static Value gaussianMmd(double[][] x, double[][] y, double bandwidth) {
        int d = checkFeatures("reference", x, -1);
        checkFeatures("candidate", y, d);
        if (!(bandwidth > 0) || !Double.isFinite(bandwidth)) {
            throw new IllegalArgumentException("MMD bandwidth must be a positive number, got " + bandwidth);
        }
        if (x.length < 2 || y.length < 2) {
            return new Value(Double.NaN, Map.of(), List.of("samples of " + x.length + " reference and " + y.length
                    + " candidate image(s): the unbiased MMD² needs at least 2 of each, it is undefined"));
        }
        double gamma = 1 / (2 * bandwidth * bandwidth);
        double mmd = unbiasedMmd2(x, y, (a, b) -> Math.exp(-gamma * squaredDistance(a, b)));
        return new Value(mmd, Map.of("bandwidth", bandwidth), List.of());
    }

    /**
     * Improved precision and recall (Kynkäänniemi et al. 2019) as the {@code prdc} package of Naeem et al. computes
     * them: each sample's manifold is the union of balls around its points with radius the distance to the k-th
     * nearest other point of the same sample; precision is the fraction of candidates inside the reference manifold,
     * recall the fraction of references inside the candidate manifold (strict inequality). Value: precision.
     */
    public static Value precisionRecall(double[][] x, double[][] y, int k) {
        int d = checkFeatures("reference", x, -1);
        checkFeatures("candidate", y, d);
        List<String> warnings = checkNeighbours(k, Math.min(x.length, y.length),
                x.length + " reference and " + y.length + " candidate images");
        double[] radiusX = kthNeighbourDistances(x, k);
        double[] radiusY = kthNeighbourDistances(y, k);
        double[][] distances = crossDistances(x, y);
        int candidatesInside = 0;
        for (int j = 0; j < y.length; j++) {
            for (int i = 0; i < x.length; i++) {
                if (distances[i][j] < radiusX[i]) {
                    candidatesInside++;
                    break;
                }
            }
        }
        int referencesInside = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                if (distances[i][j] < radiusY[j]) {
                    referencesInside++;
                    break;
                }
            }
        }
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("precision", candidatesInside / (double) y.length);
        components.put("recall", referencesInside / (double) x.length);
        return new Value(components.get("precision"), components, warnings);
    }

    /**
     * Density and coverage (Naeem et al. 2020, the {@code prdc} package): density is the mean over candidates of the
     * number of reference k-NN balls containing it, divided by k (1 when the distributions agree, unbounded above);
     * coverage is the fraction of reference balls that contain at least one candidate. Value: density.
     */
    public static Value densityCoverage(double[][] x, double[][] y, int k) {
        int d = checkFeatures("reference", x, -1);
        checkFeatures("candidate", y, d);
        List<String> warnings = checkNeighbours(k, x.length, x.length + " reference images");
        double[] radiusX = kthNeighbourDistances(x, k);
        double[][] distances = crossDistances(x, y);
        long containments = 0;
        int covered = 0;
        for (int i = 0; i < x.length; i++) {
            double nearest = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.length; j++) {
                if (distances[i][j] < radiusX[i]) {
                    containments++;
                }
                nearest = Math.min(nearest, distances[i][j]);
            }
            if (nearest < radiusX[i]) {
                covered++;
            }
        }
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("density", containments / (double) k / y.length);
        components.put("coverage", covered / (double) x.length);
        return new Value(components.get("density"), components, warnings);
    }

    /**
     * Inception Score (Salimans et al. 2016) from class probabilities p(y|x), one row per image, as the original
     * implementation splits them: split s holds rows [s·n/splits, (s+1)·n/splits) (integer division), its score is
     * exp(mean KL(p(y|x) ‖ p(y))) with p(y) the split's mean row; 0·log 0 counts as 0. Value: the mean over splits;
     * components {@code mean} and {@code sd} (population standard deviation).
     */
    public static Value inceptionScore(double[][] probabilities, int splits) {
        int classes = checkFeatures("class probability", probabilities, -1);
        for (int i = 0; i < probabilities.length; i++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                if (probabilities[i][c] < 0) {
                    throw new IllegalArgumentException("class probability row " + i + " has a negative entry at " + c);
                }
                sum += probabilities[i][c];
            }
            if (Math.abs(sum - 1) > 1e-4) {
                throw new IllegalArgumentException("class probability row " + i + " sums to " + sum + ", not 1");
            }
        }
        int n = probabilities.length;
        if (splits < 1 || splits > n) {
            throw new IllegalArgumentException("cannot split " + n + " images into " + splits + " splits");
        }
        List<String> warnings = new ArrayList<>();
        if (n / splits < classes) {
            warnings.add(String.format(Locale.ROOT, "Inception Score splits of about %d images for %d classes: "
                    + "the marginal p(y) per split is poorly estimated", n / splits, classes));
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = s * n / splits;
            int to = (s + 1) * n / splits;
            double[] marginal = new double[classes];
            for (int i = from; i < to; i++) {
                for (int c = 0; c < classes; c++) {
                    marginal[c] += probabilities[i][c] / (to - from);
                }
            }
            double kl = 0;
            for (int i = from; i < to; i++) {
                for (int c = 0; c < classes; c++) {
                    double p = probabilities[i][c];
                    if (p > 0) {
                        kl += p * (Math.log(p) - Math.log(marginal[c]));
                    }
                }
            }
            scores[s] = Math.exp(kl / (to - from));
        }
        double mean = Arrays.stream(scores).average().orElseThrow();
        double variance = Arrays.stream(scores).map(v -> (v - mean) * (v - mean)).sum() / splits;
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("mean", mean);
        components.put("sd", Math.sqrt(variance));
        return new Value(mean, components, warnings);
    }

    /** Softmax of each row (max-shifted), turning classifier logits into class probabilities. */
    public static double[][] softmax(double[][] logits) {
        double[][] result = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double max = Arrays.stream(logits[i]).max().orElse(0);
            double[] e = Arrays.stream(logits[i]).map(v -> Math.exp(v - max)).toArray();
            double sum = Arrays.stream(e).sum();
            result[i] = Arrays.stream(e).map(v -> v / sum).toArray();
        }
        return result;
    }

    @FunctionalInterface
    private interface Kernel {
        double apply(double[] a, double[] b);
    }

    private static double unbiasedMmd2(double[][] x, double[][] y, Kernel kernel) {
        int n = x.length;
        int m = y.length;
        double xx = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                xx += 2 * kernel.apply(x[i], x[j]);
            }
        }
        double yy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                yy += 2 * kernel.apply(y[i], y[j]);
            }
        }
        double xy = 0;
        for (double[] a : x) {
            for (double[] b : y) {
                xy += kernel.apply(a, b);
            }
        }
        return xx / ((double) n * (n - 1)) + yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
    }

    /** @param smallest the smallest sample whose k-NN radii are needed; {@code counts} says which samples */
    private static List<String> checkNeighbours(int k, int smallest, String counts) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (smallest <= k) {
            throw new IllegalArgumentException("the k-th nearest neighbour (k = " + k + ") needs more than " + k
                    + " images per sample; got " + counts);
        }
        List<String> warnings = new ArrayList<>();
        if (smallest < 10 * k) {
            warnings.add("only " + smallest + " images in the smaller sample for k = " + k
                    + ": the k-NN manifold estimate is coarse");
        }
        return warnings;
    }

    /** For each row, the distance to its k-th nearest other row (sklearn kneighbors with k + 1, self excluded). */
    private static double[] kthNeighbourDistances(double[][] x, int k) {
        double[] radii = new double[x.length];
        double[] row = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                row[j] = Math.sqrt(squaredDistance(x[i], x[j]));
            }
            row[i] = Double.POSITIVE_INFINITY;
            double[] sorted = row.clone();
            Arrays.sort(sorted);
            radii[i] = sorted[k - 1];
        }
        return radii;
    }

    private static double[][] crossDistances(double[][] x, double[][] y) {
        double[][] distances = new double[x.length][y.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                distances[i][j] = Math.sqrt(squaredDistance(x[i], y[j]));
            }
        }
        return distances;
    }

    /**
     * Checks that every row has {@code expectedColumns} (or the first row's count when negative) finite values.
     *
     * @return the number of columns
     */
    private static int checkFeatures(String what, double[][] features, int expectedColumns) {
        if (features.length == 0) {
            throw new IllegalArgumentException("the " + what + " sample is empty");
        }
        int d = expectedColumns < 0 ? features[0].length : expectedColumns;
        if (d == 0) {
            throw new IllegalArgumentException("the " + what + " features have no columns");
        }
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("the " + what + " features have " + features[i].length
                        + " columns in row " + i + " but " + d + " are expected");
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(features[i][j])) {
                    throw new IllegalArgumentException("the " + what + " features have a non-finite value ("
                            + features[i][j] + ") in row " + i + ", column " + j);
                }
            }
        }
        return d;
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= x.length;
        }
        return m;
    }

    private static double[][] covariance(double[][] x, double[] mean) {
        int d = mean.length;
        double[][] c = new double[d][d];
        double[] centred = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    c[a][b] += centred[a] * centred[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                c[a][b] /= x.length - 1;
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int inner = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                for (int j = 0; j < m; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    private static void symmetrize(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double s = (a[i][j] + a[j][i]) / 2;
                a[i][j] = s;
                a[j][i] = s;
            }
        }
    }

    private static double[][] rows(double[][] x, int[] indices) {
        double[][] selected = new double[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = x[indices[i]];
        }
        return selected;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }
}
