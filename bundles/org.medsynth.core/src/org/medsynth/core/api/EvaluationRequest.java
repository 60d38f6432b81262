package org.medsynth.core.api;

import java.util.List;
import java.util.Objects;

import org.medsynth.core.image.MedicalImage;

/**
 * Input of one evaluation. For paired metrics {@code references.get(i)} pairs with {@code candidates.get(i)}; for
 * distribution metrics the two lists are samples of the two distributions.
 *
 * @param caseIds one id per pair (file names), used in per-case results; for two samples of different sizes, one per
 *                position up to the larger sample: the candidate's file name where there is a candidate, else the
 *                reference's
 */
public record EvaluationRequest(Contribution contribution, ParameterValues parameters, List<MedicalImage<?>> references,
        List<MedicalImage<?>> candidates, List<String> caseIds) {
    public EvaluationRequest {
        Objects.requireNonNull(contribution, "contribution");
        Objects.requireNonNull(parameters, "parameters");
        references = List.copyOf(references);
        candidates = List.copyOf(candidates);
        caseIds = List.copyOf(caseIds);
        if (caseIds.size() != Math.max(references.size(), candidates.size())) {
            throw new IllegalArgumentException("need one case id per pair: " + caseIds.size() + " ids for "
                    + references.size() + " references and " + candidates.size() + " candidates");
        }
    }
}
