package org.medsynth.eval.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Average ranks (1-based, ties share their mean rank) and the sizes of tied groups. */
final class Ranks {
    private Ranks() {
    }

    static double[] average(double[] values) {
        Integer[] order = sortedOrder(values);
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Sizes of the groups of equal values that have more than one member. */
    static int[] tieSizes(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        IntStream.Builder sizes = IntStream.builder();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            if (j > i) {
                sizes.add(j - i + 1);
            }
            i = j + 1;
        }
        return sizes.build().toArray();
    }

    private static Integer[] sortedOrder(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        return order;
    }
}
