package org.medsynth.core.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.CoreException;

/**
 * A module's end-to-end demonstration, contributed to {@code org.medsynth.core.demos}: from inputs that need no
 * download (phantoms, installed example data) through the module's shipped models to their outputs and an evaluation
 * report. It runs every step through {@link Steps}, which schedules the same jobs as the command line, so each step
 * has progress, cancellation and a run record.
 */
public interface ModuleDemo {

    /**
     * Runs the demonstration, writing everything under {@code folder} (created by the caller, empty).
     *
     * @throws CoreException when a step fails; a cancelled step throws
     *                       {@link org.eclipse.core.runtime.OperationCanceledException}
     */
    void run(Steps steps, Path folder) throws CoreException;

    /** What a demonstration can run. */
    interface Steps {
        /**
         * Runs a generator: {@code count} samples from {@code seed}, with {@code inputs} (may be empty), written to
         * {@code folder} in the given formats (e.g. {@code mha}, {@code png}).
         *
         * @return the files written, in the generator's order
         */
        List<Path> generate(String generatorId, Map<String, String> parameters, long seed, int count, List<Path> inputs,
                Path folder, List<String> formats) throws CoreException;

        /**
         * Evaluates each candidate against its reference (a map from case id to {reference, candidate}, in the order
         * the cases should be listed) with the given evaluators and their parameters, and writes the report
         * ({@code report.json}, {@code report.html}, plots) into {@code reportFolder}.
         *
         * @return the results, one per evaluator
         */
        List<EvaluationResult> evaluate(List<String> evaluatorIds, Map<String, String> parameters,
                Map<String, Path[]> cases, Path reportFolder) throws CoreException;

        /** A line for the user (a result worth seeing, where the outputs are). */
        void say(String line);
    }
}
