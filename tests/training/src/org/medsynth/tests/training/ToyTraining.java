package org.medsynth.tests.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.medsynth.core.jobs.RunHistory;
import org.medsynth.core.jobs.TrainingJob;
import org.medsynth.ml.weights.ModelCardYaml;

/**
 * A trainer test's toy model, trained once for the whole test class: the recipe ({@code parameters}, which must set
 * {@code steps}), the finished job and the model folder, with the checks every trainer must pass.
 */
public record ToyTraining(String trainerId, Map<String, String> parameters, long seed, TrainingJob job, Path model) {

    /** Trains the recipe into {@code shared}/model (checkpoints and run records in {@code shared} too). */
    public static ToyTraining train(String trainerId, Map<String, String> parameters, long seed, Path shared)
            throws InterruptedException {
        System.setProperty(RunHistory.FOLDER_PROPERTY, shared.resolve("runs").toString());
        Path model = shared.resolve("model");
        TrainingJob job = TrainerRuns.run(trainerId, parameters, seed, model, shared.resolve("checkpoints"), false);
        return new ToyTraining(trainerId, parameters, seed, job, model);
    }

    /** The model card's fields, flattened ({@code metrics.fid-baseline}). */
    public Map<String, String> card() throws IOException {
        return ModelCardYaml.read(Files.readString(model.resolve("model.yaml")));
    }

    /**
     * Trains half the steps, resumes to the end, and asserts the same losses and weights, bit for bit, and a card that
     * says where the run resumed.
     */
    public void assertResumesBitForBit(Path work) throws InterruptedException, IOException {
        Path checkpoints = work.resolve("checkpoints");
        Map<String, String> half = new HashMap<>(parameters);
        String halfSteps = "" + Integer.parseInt(parameters.get("steps")) / 2;
        half.put("steps", halfSteps);
        TrainerRuns.run(trainerId, half, seed, work.resolve("half"), checkpoints, false);
        TrainingJob resumed = TrainerRuns.run(trainerId, parameters, seed, work.resolve("resumed"), checkpoints, true);
        assertEquals(job.result().lossCurve(), resumed.result().lossCurve());
        assertEquals(job.result().weightSha256(), resumed.result().weightSha256());
        assertEquals(halfSteps, new ToyTraining(trainerId, parameters, seed, resumed, work.resolve("resumed")).card()
                .get("training.resumed-from-step"));
    }
}
