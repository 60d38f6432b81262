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
     * |μx − μy|² + tr Σx + tr Σy − 2 tr (Σx Σy)^½, with sample covariances (n − 1). pytorch-fid takes the last trace
     * from a general {@code scipy.linalg.sqrtm} of the non-symmetric Σx Σy; only its trace is needed, the sum of the
     * square roots of the eigenvalues of Σx Σy, which are real and non-negative. They are computed from a symmetric
     * matrix with the same eigenvalues, so only a symmetric eigenvalue problem without eigenvectors remains:
     * <ul>
     * <li>with at most as many images as features in one sample (the usual case for medical data sets) from the
     * centred, scaled samples Ax, Ay (Σ = AᵀA): the eigenvalues of Σx Σy are the squared singular values of
     * M = Ax Ayᵀ, the eigenvalues of the small Gram matrix M Mᵀ (or MᵀM); no d×d matrix is formed at all;</li>
     * <li>otherwise from the Cholesky factor Σx = L Lᵀ: Lᵀ Σy L is similar to Σx Σy and symmetric. A Σx that is
     * singular to rounding (collinear features) has no Cholesky factor; then its PSD square root is taken from a
     * full eigendecomposition and the symmetric form Σx^½ Σy Σx^½ is used, at about four times the cost.</li>
     * </ul>
     * Negative eigenvalues, which only rounding produces, count as zero.
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
        double[][] ax = centredScaled(x, mx);
        double[][] ay = centredScaled(y, my);
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            meanTerm += (mx[j] - my[j]) * (mx[j] - my[j]);
        }
        // tr Σ = tr AᵀA = the sum of the squares of A
        double traces = Arrays.stream(ax).mapToDouble(row -> dot(row, row)).sum()
                + Arrays.stream(ay).mapToDouble(row -> dot(row, row)).sum();
        double[] eigenvalues;
        if (Math.min(x.length, y.length) <= d) {
            double[][] m = x.length <= y.length ? gram(ax, ay) : gram(ay, ax);
            eigenvalues = SymmetricEigen.eigenvalues(gram(m, m));
        } else {
            double[][] columnsX = transpose(ax);
            double[][] columnsY = transpose(ay);
            eigenvalues = productEigenvalues(gram(columnsX, columnsX), gram(columnsY, columnsY));
        }
        double traceRoot = 0;
        for (double lambda : eigenvalues) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return new Value(meanTerm + traces - 2 * traceRoot, Map.of(), warnings);
    }

    /** The rows of x minus the mean, divided by √(n − 1), so that the covariance is AᵀA. */
    private static double[][] centredScaled(double[][] x, double[] mean) {
        double scale = 1 / Math.sqrt(x.length - 1);
        double[][] a = new double[x.length][mean.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                a[i][j] = (x[i][j] - mean[j]) * scale;
            }
        }
        return a;
    }

    /** The eigenvalues of Σx Σy, from a symmetric matrix similar to it (see {@link #frechetDistance}). */
    private static double[] productEigenvalues(double[][] sx, double[][] sy) {
        double[][] lower = cholesky(sx);
        double[][] similar;
        if (lower != null) {
            similar = multiply(multiply(transpose(lower), sy), lower);
        } else {
            double[][] rootX = new SymmetricEigen(sx).sqrtPsd();
            similar = multiply(multiply(rootX, sy), rootX);
        }
        symmetrize(similar);
        return SymmetricEigen.eigenvalues(similar);
    }

    /** The lower Cholesky factor of a symmetric matrix, or null where it is not positive definite to rounding. */
    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] lj = l[j];
            double diagonal = a[j][j] - dot(lj, lj, j);
            if (!(diagonal > 1e-12 * a[j][j])) {
                return null;
            }
            double root = Math.sqrt(diagonal);
            lj[j] = root;
            int column = j;
            IntStream.range(j + 1, n).parallel().forEach(i -> l[i][column] = (a[i][column] - dot(l[i], lj, column))
                    / root);
        }
        return l;
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

    /** A Bᵀ: the dot products of the rows of a with the rows of b, rows in parallel; half of them where a is b. */
    private static double[][] gram(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b.length];
        boolean symmetric = a == b;
        IntStream.range(0, a.length).parallel().forEach(i -> {
            for (int k = symmetric ? i : 0; k < b.length; k++) {
                c[i][k] = dot(a[i], b[k]);
            }
        });
        if (symmetric) {
            for (int i = 0; i < a.length; i++) {
                for (int k = i + 1; k < b.length; k++) {
                    c[k][i] = c[i][k];
                }
            }
        }
        return c;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int inner = b.length;
        int m = b[0].length;
        double[][] c = new double[a.length][m];
        IntStream.range(0, a.length).parallel().forEach(i -> {
            double[] ci = c[i];
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                if (aik != 0) {
                    double[] bk = b[k];
                    for (int j = 0; j < m; j++) {
                        ci[j] += aik * bk[j];
                    }
                }
            }
        });
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
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

    /** The dot product of the first {@code length} entries. */
    private static double dot(double[] a, double[] b, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        return dot(a, b, a.length);
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
