package org.medsynth.ml.weights;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Status;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.api.TrainingRequest;
import org.medsynth.core.api.TrainingResult;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.train.TrainingLoop;

import ai.djl.Model;
import ai.djl.nn.Block;

/** What trainers share when they write a model: weight files and model card values (fields: models/README.md). */
public final class TrainedModels {
    /** Steps averaged for the final loss in a model card. */
    private static final int FINAL_LOSS_WINDOW = 10;

    private TrainedModels() {
    }

    /** Runs a training in the engine's context; its I/O errors become the job's error status. */
    public static TrainingResult inEngine(MlEngine.EngineWork<TrainingResult, IOException> training) throws CoreException {
        try {
            return MlEngine.inEngineContext(training);
        } catch (IOException e) {
            throw new CoreException(Status.error(e.getMessage(), e));
        }
    }

    /**
     * A trainer's settings read from the request's parameters; a setting the reader refuses
     * ({@link IllegalArgumentException}) becomes an error that names the trainer.
     */
    public static <S> S settings(TrainingRequest request, Function<ParameterValues, S> reader) throws CoreException {
        try {
            return reader.apply(request.parameters());
        } catch (IllegalArgumentException e) {
            throw new CoreException(Status.error(request.contribution().id() + ": " + e.getMessage(), e));
        }
    }

    /** DJL names the weight file {@code <name>-<epoch>.params}; MedSynth models always save epoch 0. */
    public static String weightFile(String id) {
        return id + "-0000.params";
    }

    /** Saves the model's parameters as {@link #weightFile} in {@code folder}; returns the file's sha256. */
    public static String saveWeights(Model model, Path folder, String id) throws IOException {
        model.setProperty("Epoch", "0");
        model.save(folder, id);
        Path weights = folder.resolve(weightFile(id));
        if (!Files.isRegularFile(weights)) {
            throw new IOException("DJL did not write the expected weight file " + weights);
        }
        return Sha256.of(weights);
    }

    /** A new model card: its header line and the model id. */
    public static List<String> openCard(String trainer, String id) {
        List<String> card = new ArrayList<>();
        card.add("# Model card of a MedSynth model (fields: models/README.md), written by the " + trainer + " trainer");
        card.add("id: " + id);
        return card;
    }

    /** The card lines that say how a run was made: command, seed, steps and, for a resumed run, where it resumed. */
    public static List<String> runLines(TrainingRequest request, TrainingLoop.Result result) {
        List<String> lines = new ArrayList<>();
        lines.add("  command: " + ModelCardYaml.scalar(command(request)));
        lines.add("  seed: " + request.seed());
        lines.add("  steps: " + result.stepsDone());
        if (result.resumedFrom() > 0) {
            lines.add("  resumed-from-step: " + result.resumedFrom());
        }
        if (!result.recomputedSteps().isEmpty()) {
            lines.add("  recomputed-steps: " + ModelCardYaml.scalar(result.recomputedSteps().toString()
                    + " (a non-finite gradient that did not repeat when the step was computed again)"));
        }
        return lines;
    }

    /**
     * The card lines that say how a run ended: its final loss, the best validation (if it validated), its speed, the
     * device and the engine.
     */
    public static List<String> outcomeLines(TrainingRequest request, TrainingLoop.Result result) {
        List<String> lines = new ArrayList<>();
        lines.add("  final-loss: " + number(finalLoss(result.losses())));
        result.best().ifPresent(best -> {
            lines.add("  best-validation-loss: " + number(best.value()));
            lines.add("  best-validation-step: " + best.step());
        });
        if (!Double.isNaN(result.secondsPerStep())) {
            lines.add("  seconds-per-step: " + number(result.secondsPerStep()));
        }
        lines.add("  device: " + request.device());
        lines.add("  engine: " + ModelCardYaml.scalar(engine()));
        return lines;
    }

    /** The closing card lines: licence, citation, and the weight file of model {@code id} with its sha256. */
    public static String closeCard(List<String> card, String citation, String id, String weightSha256) {
        card.add("license: Apache-2.0");
        card.add("citation: " + ModelCardYaml.scalar(citation));
        card.add("weights:");
        card.add("  - file: " + weightFile(id));
        card.add("    format: " + ModelCardYaml.scalar("DJL parameters (Model.save)"));
        card.add("    sha256: " + weightSha256);
        return String.join("\n", card) + "\n";
    }

    /** The exact command line that repeats a training (every parameter, defaults included). */
    public static String command(TrainingRequest request) {
        StringBuilder command = new StringBuilder("medsynth train ").append(request.contribution().id())
                .append(" --seed ").append(request.seed()).append(" --device ").append(request.device());
        request.parameters().asText().forEach((name, value) -> command.append(" --").append(name).append(' ')
                .append(value));
        return command.toString();
    }

    /** The engine line of a model card. */
    public static String engine() {
        Map<String, String> engine = MlEngine.engineVersions();
        return engine.get("engine") + " " + engine.get("pytorch") + " (DJL " + engine.get("djl") + ", "
                + engine.get("flavor") + ")";
    }

    /** The mean loss of the last steps. */
    public static double finalLoss(List<Double> losses) {
        return losses.subList(Math.max(0, losses.size() - FINAL_LOSS_WINDOW), losses.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Six significant digits, plain notation, no trailing zeros: 0.001, 27.4183, 0.000123457. */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** The number of scalar parameters of an initialised network. */
    public static long parameterCount(Block network) {
        return network.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
}
