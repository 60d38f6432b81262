package org.medsynth.ml.nn;

/** How often each code of a codebook was chosen: collapse shows as few codes used and a low perplexity. */
public record CodebookUsage(long[] counts) {
    public CodebookUsage {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    /** Codes chosen at least once. */
    public int used() {
        int used = 0;
        for (long count : counts) {
            used += count > 0 ? 1 : 0;
        }
        return used;
    }

    /** exp of the entropy of the code frequencies: the number of equally used codes with the same entropy. */
    public double perplexity() {
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        double entropy = 0;
        for (long count : counts) {
            if (count > 0) {
                double p = (double) count / total;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }
}
