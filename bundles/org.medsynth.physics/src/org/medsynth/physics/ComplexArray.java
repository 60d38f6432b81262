package org.medsynth.physics;

/** Complex values as split real and imaginary arrays of equal length. */
public record ComplexArray(double[] re, double[] im) {

    public ComplexArray {
        if (re.length != im.length) {
            throw new IllegalArgumentException("real and imaginary parts differ in length: " + re.length + " vs "
                    + im.length);
        }
    }

    public static ComplexArray zeros(int n) {
        return new ComplexArray(new double[n], new double[n]);
    }

    /** Real input, zero imaginary part. */
    public static ComplexArray ofReal(float[] values) {
        double[] re = new double[values.length];
        for (int i = 0; i < re.length; i++) {
            re[i] = values[i];
        }
        return new ComplexArray(re, new double[values.length]);
    }

    public int length() {
        return re.length;
    }

    public ComplexArray copy() {
        return new ComplexArray(re.clone(), im.clone());
    }

    /** Re⟨this, other⟩ = Re Σ conj(thisᵢ)·otherᵢ. */
    public double realDot(ComplexArray other) {
        double sum = 0;
        for (int i = 0; i < re.length; i++) {
            sum += re[i] * other.re[i] + im[i] * other.im[i];
        }
        return sum;
    }

    /** Im⟨this, other⟩ = Im Σ conj(thisᵢ)·otherᵢ. */
    public double imagDot(ComplexArray other) {
        double sum = 0;
        for (int i = 0; i < re.length; i++) {
            sum += re[i] * other.im[i] - im[i] * other.re[i];
        }
        return sum;
    }

    /** this += a·other for real a. */
    public void addScaled(double a, ComplexArray other) {
        for (int i = 0; i < re.length; i++) {
            re[i] += a * other.re[i];
            im[i] += a * other.im[i];
        }
    }

    /** Magnitudes |zᵢ|. */
    public float[] magnitude() {
        float[] out = new float[re.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.hypot(re[i], im[i]);
        }
        return out;
    }
}
