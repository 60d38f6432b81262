package org.medsynth.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.medsynth.core.api.EvaluationResult;
import org.medsynth.core.jobs.EvaluationJob;
import org.medsynth.eval.stats.Bootstrap;
import org.medsynth.eval.stats.HypothesisTests;

/**
 * Several candidate models evaluated against the same references, and per metric the paired comparison of every two
 * models on the cases both have a finite value for: mean difference first − second with its bootstrap interval, the
 * paired t-test and the Wilcoxon signed-rank test (two-sided; normal approximation without continuity correction
 * where not exact, as scipy's defaults).
 */
public final class ModelComparison {
    /** One model's evaluation: a display name, its reference/candidate pairs and results. */
    public record Candidate(String name, List<EvaluationJob.Pair> pairs, List<EvaluationResult> results) {
        public Candidate {
            pairs = List.copyOf(pairs);
            results = List.copyOf(results);
        }

        EvaluationResult result(String metric) {
            return results.stream().filter(r -> r.metric().equals(metric)).findFirst().orElse(null);
        }
    }

    /**
     * Two models compared on one metric over {@code n} common cases. A null test or interval is undefined for these
     * values; {@code notes} says why.
     */
    public record Paired(String metric, String first, String second, int n, double meanDifference,
            Bootstrap.Interval interval, HypothesisTests.Result tTest, HypothesisTests.WilcoxonResult wilcoxon,
            List<String> notes) {
    }

    private ModelComparison() {
    }

    /** Metrics with per-case values, in the order they first appear. */
    static List<String> pairedMetrics(List<Candidate> candidates) {
        Set<String> metrics = new LinkedHashSet<>();
        candidates.forEach(c -> c.results().stream().filter(r -> !r.perCase().isEmpty())
                .forEach(r -> metrics.add(r.metric())));
        return List.copyOf(metrics);
    }

    /** Every pair of models (in the given order) on every metric both have per-case values for. */
    public static List<Paired> compare(List<Candidate> candidates, ReportWriter.Options options) {
        List<Paired> comparisons = new ArrayList<>();
        for (String metric : pairedMetrics(candidates)) {
            for (int i = 0; i < candidates.size(); i++) {
                for (int j = i + 1; j < candidates.size(); j++) {
                    EvaluationResult a = candidates.get(i).result(metric);
                    EvaluationResult b = candidates.get(j).result(metric);
                    if (a != null && b != null) {
                        comparisons.add(compare(metric, candidates.get(i).name(), a.perCase(),
                                candidates.get(j).name(), b.perCase(), options));
                    }
                }
            }
        }
        return comparisons;
    }

    static Paired compare(String metric, String firstName, Map<String, Double> first, String secondName,
            Map<String, Double> second, ReportWriter.Options options) {
        List<String> common = first.keySet().stream().filter(second::containsKey)
                .filter(id -> Double.isFinite(first.get(id)) && Double.isFinite(second.get(id))).toList();
        double[] x = common.stream().mapToDouble(first::get).toArray();
        double[] y = common.stream().mapToDouble(second::get).toArray();
        double[] d = new double[x.length];
        double mean = 0;
        for (int k = 0; k < d.length; k++) {
            d[k] = x[k] - y[k];
            mean += d[k] / d.length;
        }
        List<String> notes = new ArrayList<>();
        if (common.size() < Math.max(first.size(), second.size())) {
            notes.add("compared on the " + common.size() + " cases with a finite value for both models");
        }
        Bootstrap.Interval interval = d.length < 2 ? null : ReportWriter.meanInterval(d, options);
        HypothesisTests.Result t = null;
        HypothesisTests.WilcoxonResult w = null;
        try {
            t = HypothesisTests.pairedTTest(x, y);
        } catch (IllegalArgumentException e) {
            notes.add("t-test: " + e.getMessage());
        }
        try {
            w = HypothesisTests.wilcoxon(x, y, false);
        } catch (IllegalArgumentException e) {
            notes.add("Wilcoxon: " + e.getMessage());
        }
        return new Paired(metric, firstName, secondName, common.size(), d.length == 0 ? Double.NaN : mean, interval,
                t, w, notes);
    }
}
