package org.medsynth.eval;

import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix: Householder reduction to tridiagonal form followed by the
 * implicit QL algorithm (EISPACK tred2/tql2, as in JAMA): O(d³) with the eigenvectors, O(d²) after the reduction
 * without them. The reduction runs along rows and spreads its rank-2 updates over the cores.
 */
public final class SymmetricEigen {
    /** Rows from which a rank-2 update is worth splitting over threads. */
    private static final int PARALLEL_ROWS = 256;

    private final double[] values;
    /** Eigenvectors as rows (row j belongs to values[j]), so that QL rotations run along contiguous arrays. */
    private final double[][] rowVectors;

    /**
     * @param matrix a symmetric d×d matrix (only symmetry to rounding is assumed; it is not checked)
     */
    public SymmetricEigen(double[][] matrix) {
        int n = matrix.length;
        double[][] v = transpose(matrix);
        values = new double[n];
        double[] offDiagonal = new double[n];
        tridiagonalize(v, values, offDiagonal, true);
        rowVectors = transpose(v);
        diagonalize(rowVectors, values, offDiagonal);
    }

    /**
     * Eigenvalues only, in ascending order: without the eigenvectors the QL iterations cost O(d²) instead of O(d³).
     */
    public static double[] eigenvalues(double[][] matrix) {
        int n = matrix.length;
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(transpose(matrix), d, e, false);
        diagonalize(null, d, e);
        return d;
    }

    /** Eigenvalues in ascending order. */
    public double[] values() {
        return values.clone();
    }

    /** Eigenvectors as columns: column j belongs to {@code values()[j]}. */
    public double[][] vectors() {
        return transpose(rowVectors);
    }

    /**
     * The symmetric positive semi-definite square root V·diag(√λ)·Vᵀ; eigenvalues below zero, which only rounding
     * makes of a PSD matrix, are taken as zero.
     */
    public double[][] sqrtPsd() {
        int n = values.length;
        double[][] result = new double[n][n];
        // Σ_k √λk · v_k v_kᵀ as outer products of the rows of rowVectors, which keeps every access contiguous
        for (int k = 0; k < n; k++) {
            double root = Math.sqrt(Math.max(values[k], 0));
            if (root == 0) {
                continue;
            }
            double[] v = rowVectors[k];
            for (int i = 0; i < n; i++) {
                double scaled = root * v[i];
                double[] row = result[i];
                for (int j = i; j < n; j++) {
                    row[j] += scaled * v[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                result[j][i] = result[i][j];
            }
        }
        return result;
    }

    /**
     * Householder tridiagonalization into diagonal d and sub-diagonal e. {@code w} is the transpose of EISPACK's
     * working matrix (tred2 reads and updates its lower triangle column by column; here those columns are rows, so
     * the O(d³) loops run along contiguous arrays, and the rank-2 updates of the rows run in parallel). With {@code
     * accumulate}, w becomes the accumulated orthogonal transformation (columns), otherwise it is left as scratch.
     *
     * @param w the transpose of the matrix (for a symmetric matrix, a copy of it), overwritten
     */
    private static void tridiagonalize(double[][] w, double[] d, double[] e, boolean accumulate) {
        int n = d.length;
        for (int j = 0; j < n; j++) {
            d[j] = w[j][n - 1];
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0;
            double h = 0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = w[j][i - 1];
                    w[j][i] = 0;
                    w[i][j] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    w[i][j] = d[j];
                }
                symmetricProduct(w, d, e, i);
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                rankTwoUpdate(w, d, e, i);
            }
            d[i] = h;
        }
        if (!accumulate) {
            // the reduction left the diagonal on w's diagonal; the accumulation below would only move it
            for (int j = 0; j < n; j++) {
                d[j] = w[j][j];
            }
            if (n > 0) {
                e[0] = 0;
            }
            return;
        }
        transposeInPlace(w);
        double[][] v = w;
        // accumulate the transformations
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        if (n > 0) {
            v[n - 1][n - 1] = 1;
            e[0] = 0;
        }
    }

    /**
     * e = A d over the leading i×i block of the symmetric A whose upper triangle w holds: row j gives its dot
     * product with d from the diagonal on, and adds d[j] times its off-diagonal part to the entries below the
     * diagonal. Large blocks are split into row ranges of equal work, each adding into its own array.
     */
    private static void symmetricProduct(double[][] w, double[] d, double[] e, int i) {
        int parts = i >= PARALLEL_ROWS ? Runtime.getRuntime().availableProcessors() : 1;
        int[] bounds = new int[parts + 1];
        // row j costs i − j: split the triangle's area evenly
        for (int p = 1; p < parts; p++) {
            bounds[p] = (int) Math.round(i * (1 - Math.sqrt(1 - (double) p / parts)));
        }
        bounds[parts] = i;
        double[][] scattered = IntStream.range(0, parts).parallel().mapToObj(p -> {
            double[] below = new double[i];
            for (int j = bounds[p]; j < bounds[p + 1]; j++) {
                double f = d[j];
                double[] row = w[j];
                double g = row[j] * f;
                for (int k = j + 1; k < i; k++) {
                    g += row[k] * d[k];
                    below[k] += row[k] * f;
                }
                e[j] = g;
            }
            return below;
        }).toArray(double[][]::new);
        for (double[] below : scattered) {
            for (int k = 0; k < i; k++) {
                e[k] += below[k];
            }
        }
    }

    /**
     * Rows j < i: w[j][k] −= d[j] e[k] + e[j] d[k] for j ≤ k < i, then d[j] = w[j][i − 1] and w[j][i] = 0. Rows are
     * independent; large ones are spread over the cores.
     */
    private static void rankTwoUpdate(double[][] w, double[] d, double[] e, int i) {
        IntStream rows = IntStream.range(0, i);
        (i >= PARALLEL_ROWS ? rows.parallel() : rows).forEach(j -> {
            double f = d[j];
            double g = e[j];
            double[] row = w[j];
            for (int k = j; k <= i - 1; k++) {
                row[k] -= f * e[k] + g * d[k];
            }
            w[j][i] = 0;
        });
        // d is read above, so its new values wait until every row is updated
        for (int j = 0; j < i; j++) {
            d[j] = w[j][i - 1];
        }
    }

    private static void transposeInPlace(double[][] a) {
        for (int i = 0; i < a.length; i++) {
            for (int j = i + 1; j < a.length; j++) {
                double t = a[i][j];
                a[i][j] = a[j][i];
                a[j][i] = t;
            }
        }
    }

    /**
     * Implicit QL iterations on the tridiagonal (d, e), rotating the rows of {@code rows} (the transformation's
     * columns) along unless it is null; eigenvalues sorted ascending, rows with them.
     */
    private static void diagonalize(double[][] rows, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        if (n > 0) {
            e[n - 1] = 0;
        }
        double f = 0;
        double tst1 = 0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n) {
                if (Math.abs(e[m]) <= eps * tst1) {
                    break;
                }
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > 60 * n + 60) {
                        throw new ArithmeticException("eigenvalue iteration did not converge (matrix has non-finite entries?)");
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0;
                    double s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        if (rows != null) {
                            double[] a = rows[i];
                            double[] b = rows[i + 1];
                            for (int k = 0; k < n; k++) {
                                double t = b[k];
                                b[k] = s * a[k] + c * t;
                                a[k] = c * a[k] - s * t;
                            }
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        // selection sort, carrying the vectors
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < n; j++) {
                if (d[j] < p) {
                    k = j;
                    p = d[j];
                }
            }
            if (k != i) {
                d[k] = d[i];
                d[i] = p;
                if (rows != null) {
                    double[] t = rows[i];
                    rows[i] = rows[k];
                    rows[k] = t;
                }
            }
        }
    }

    private static double[][] transpose(double[][] m) {
        int n = m.length;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }
}
