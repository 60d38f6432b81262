package org.medsynth.physics;

import java.util.function.UnaryOperator;

/** Conjugate gradient for a Hermitian positive (semi-)definite system N x = b, e.g. the normal equations AᴴA x = Aᴴy. */
public final class ConjugateGradient {

    private ConjugateGradient() {
    }

    /**
     * Iterates from x = 0 until ‖r‖ ≤ {@code tolerance}·‖b‖ or {@code maxIterations}.
     *
     * @return the solution estimate
     */
    public static ComplexArray solve(UnaryOperator<ComplexArray> normal, ComplexArray b, int maxIterations,
            double tolerance) {
        ComplexArray x = ComplexArray.zeros(b.length());
        ComplexArray r = b.copy();
        ComplexArray p = b.copy();
        double rr = r.realDot(r);
        double stop = tolerance * tolerance * rr;
        for (int k = 0; k < maxIterations && rr > stop; k++) {
            ComplexArray np = normal.apply(p);
            double alpha = rr / p.realDot(np);
            x.addScaled(alpha, p);
            r.addScaled(-alpha, np);
            double rrNext = r.realDot(r);
            double beta = rrNext / rr;
            for (int i = 0; i < p.length(); i++) {
                p.re()[i] = r.re()[i] + beta * p.re()[i];
                p.im()[i] = r.im()[i] + beta * p.im()[i];
            }
            rr = rrNext;
        }
        return x;
    }
}
