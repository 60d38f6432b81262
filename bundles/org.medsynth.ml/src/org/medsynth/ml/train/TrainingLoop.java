package org.medsynth.ml.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.TrainingProgress;
import org.medsynth.ml.NDScopes;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.train.Checkpoints.Entry;
import org.medsynth.ml.train.Checkpoints.State;
import org.medsynth.ml.train.Checkpoints.ValidationPoint;
import org.medsynth.ml.weights.NamedParameters;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;

/**
 * The training loop every MedSynth trainer shares: Adam with its state checkpointed, gradient clipping, an
 * exponential moving average of the weights, checkpoints every N steps written atomically, resume that continues
 * bit-identically on the CPU, validation with early stopping, a memory guard, cancellation and progress with rate
 * and ETA.
 * <p>
 * Reproducibility: step {@code s} draws its randomness only from {@link #stepSeed(long, int) stepSeed(seed, s)},
 * which seeds PyTorch's generator and the Java random the loss function gets; a run resumed from a checkpoint
 * therefore sees the same batches and noise as an uninterrupted one, and with the optimizer moments, moving
 * averages and best weights restored from the checkpoint it computes the same bits.
 */
public final class TrainingLoop {
    private static final String EMA_PREFIX = "ema/";
    private static final String BEST_PREFIX = "best/";

    /**
     * How to train.
     *
     * @param steps            optimisation steps in total (a resumed run counts those before the checkpoint)
     * @param batchSize        for messages (the loss function builds its own batches)
     * @param checkpointEvery  steps between checkpoints (and at the last step)
     * @param keepCheckpoints  how many of the newest checkpoints to keep
     * @param maxGradientNorm  clip gradients to this global L2 norm; 0: no clipping
     * @param emaDecay         decay of the weights' moving average; 0: none
     * @param validateEvery    steps between validations; 0: none
     * @param patience         stop after this many validations without an improvement; 0: never stop early
     * @param minImprovement   how much lower a validation value must be to count as an improvement
     * @param memoryBudgetMb   the most memory the first step may add; 0: no budget (engine errors still reported)
     */
    public record Settings(int steps, int batchSize, int checkpointEvery, int keepCheckpoints, double maxGradientNorm,
            double emaDecay, int validateEvery, int patience, double minImprovement, long memoryBudgetMb) {
        public Settings {
            if (steps < 1 || batchSize < 1 || checkpointEvery < 1 || keepCheckpoints < 1 || maxGradientNorm < 0
                    || emaDecay < 0 || emaDecay >= 1 || validateEvery < 0 || patience < 0 || minImprovement < 0
                    || memoryBudgetMb < 0) {
                throw new IllegalArgumentException("invalid training settings: " + this);
            }
            if (patience > 0 && validateEvery == 0) {
                throw new IllegalArgumentException("early stopping (patience " + patience + ") needs validation");
            }
        }

        /** {@code steps} steps, a checkpoint every {@code checkpointEvery}; nothing else. */
        public static Settings of(int steps, int batchSize, int checkpointEvery) {
            return new Settings(steps, batchSize, checkpointEvery, 2, 0, 0, 0, 0, 0, 0);
        }

        public Settings withGradientClipping(double maxNorm) {
            return new Settings(steps, batchSize, checkpointEvery, keepCheckpoints, maxNorm, emaDecay, validateEvery,
                    patience, minImprovement, memoryBudgetMb);
        }

        public Settings withEma(double decay) {
            return new Settings(steps, batchSize, checkpointEvery, keepCheckpoints, maxGradientNorm, decay,
                    validateEvery, patience, minImprovement, memoryBudgetMb);
        }

        public Settings withValidation(int every, int patienceValidations, double minimumImprovement) {
            return new Settings(steps, batchSize, checkpointEvery, keepCheckpoints, maxGradientNorm, emaDecay, every,
                    patienceValidations, minimumImprovement, memoryBudgetMb);
        }

        public Settings withMemoryBudget(long megabytes) {
            return new Settings(steps, batchSize, checkpointEvery, keepCheckpoints, maxGradientNorm, emaDecay,
                    validateEvery, patience, minImprovement, megabytes);
        }

        public Settings withKeptCheckpoints(int keep) {
            return new Settings(steps, batchSize, checkpointEvery, keep, maxGradientNorm, emaDecay, validateEvery,
                    patience, minImprovement, memoryBudgetMb);
        }
    }

    /** The loss of one step, computed under gradient recording from the step's own randomness. */
    @FunctionalInterface
    public interface LossFunction {
        /** A scalar loss; arrays made in {@code scope} are freed after the step. */
        NDArray loss(NDManager scope, int step, SplittableRandom random) throws IOException;
    }

    /** A validation measure of the current weights; lower is better. */
    @FunctionalInterface
    public interface Validation {
        double measure(NDManager scope) throws IOException;
    }

    /**
     * What a run did.
     *
     * @param stepsDone       steps reached (fewer than asked when it stopped early)
     * @param losses          the loss of every step from step 1, including those before a resume
     * @param bestValidation  the last validation that improved on all before it by minImprovement; null if none
     * @param resumedFrom     the checkpoint step this run continued from; 0 for a fresh run
     * @param secondsPerStep  mean wall time of this run's steps; NaN when it ran none
     * @param recomputedSteps the steps of this run computed a second time because the first gave a non-finite loss
     *                        or gradient that did not repeat
     */
    public record Result(int stepsDone, List<Double> losses, List<ValidationPoint> validations,
            ValidationPoint bestValidation, boolean stoppedEarly, int resumedFrom, double secondsPerStep,
            List<Integer> recomputedSteps) {
        public Optional<ValidationPoint> best() {
            return Optional.ofNullable(bestValidation);
        }
    }

    /** The best validation so far and how many validations came after it. */
    private record ValidationStanding(ValidationPoint best, int since) {
    }

    private final Checkpoints checkpoints;
    private final Block block;
    private final Shape[] inputShapes;
    private final NDManager manager;
    private final Adam optimizer;
    private final Settings settings;
    private final String deviceName;
    private ExponentialMovingAverage ema;

    /**
     * @param block       the network, not yet initialised (the loop initialises it, after loading a checkpoint)
     * @param inputShapes the shapes {@code block.initialize} needs
     * @param manager     where parameters and optimizer state live (the model's manager)
     */
    public TrainingLoop(Checkpoints checkpoints, Block block, Shape[] inputShapes, NDManager manager,
            Adam optimizer, Settings settings) {
        this.checkpoints = checkpoints;
        this.block = block;
        this.inputShapes = inputShapes.clone();
        this.manager = manager;
        this.optimizer = optimizer;
        this.settings = settings;
        this.deviceName = manager.getDevice().toString();
    }

    /** The seed of step {@code step} (counted from 0) of a run seeded with {@code seed}. */
    public static long stepSeed(long seed, int step) {
        // nextLong mixes the bits: neighbouring steps get unrelated streams
        return new SplittableRandom(seed + step).nextLong();
    }

    /** The moving average of the weights, once {@link #run} has started; empty when the settings have none. */
    public Optional<ExponentialMovingAverage> ema() {
        return Optional.ofNullable(ema);
    }

    /**
     * Trains. With {@code resume} the run continues from the newest checkpoint (there must be one); without, the
     * checkpoint folder must not hold checkpoints of an earlier run of this kind. When the run stops early, the
     * parameters are those of the best validation.
     *
     * @throws OperationCanceledException when the monitor is cancelled (checkpoints written so far stay)
     * @throws BatchDoesNotFitException   when a step does not fit in memory or in the budget
     */
    public Result run(long seed, boolean resume, LossFunction lossFunction, Validation validation,
            TrainingProgress progress, IProgressMonitor monitor) throws IOException {
        if (settings.validateEvery() > 0 && validation == null) {
            throw new IllegalArgumentException("the settings validate every " + settings.validateEvery()
                    + " steps, but no validation was given");
        }
        Optional<State> resumed = startingState(resume);
        if (resumed.isPresent()) {
            loadParameters(resumed.get().parameters());
        }
        Seeding.seedAll(seed); // the initial weights of a fresh run
        block.initialize(manager, DataType.FLOAT32, inputShapes);
        Map<String, Parameter> parameters = trainable();
        List<Double> losses = new ArrayList<>();
        List<ValidationPoint> validations = new ArrayList<>();
        List<Integer> recomputed = new ArrayList<>();
        Map<String, NDArray> best = new LinkedHashMap<>();
        if (settings.emaDecay() > 0) {
            ema = new ExponentialMovingAverage(settings.emaDecay(), parameters, manager);
        }
        int firstStep = 0;
        if (resumed.isPresent()) {
            State state = resumed.get();
            firstStep = state.step();
            losses.addAll(state.losses());
            validations.addAll(state.validations());
            optimizer.restore(state.arrays(), state.optimizerUpdates());
            if (ema != null) {
                ema.restore(withPrefix(state.arrays(), EMA_PREFIX));
            }
            best.putAll(withPrefix(state.arrays(), BEST_PREFIX));
        }
        SubMonitor work = SubMonitor.convert(monitor, settings.steps() - firstStep);
        MemoryGuard guard = new MemoryGuard(settings.memoryBudgetMb() * 1024 * 1024);
        long started = System.nanoTime();
        boolean stoppedEarly = false;
        int step = firstStep;
        while (step < settings.steps() && !stoppedEarly) {
            if (work.isCanceled()) {
                throw new OperationCanceledException();
            }
            if (step == firstStep) {
                guard.beforeStep();
            }
            double loss = trainStep(parameters, lossFunction, seed, step, recomputed);
            if (step == firstStep) {
                guard.afterStep(settings.batchSize());
            }
            step++;
            losses.add(loss);
            progress.step(step, loss);
            double stepsPerSecond = (step - firstStep) / ((System.nanoTime() - started) / 1e9);
            double secondsLeft = (settings.steps() - step) / stepsPerSecond;
            progress.rate(step, settings.steps(), stepsPerSecond, secondsLeft);
            work.subTask(String.format(Locale.ROOT, "step %d/%d, loss %.4g, %.2f it/s, %s left", step,
                    settings.steps(), loss, stepsPerSecond, duration(secondsLeft)));
            work.worked(1);
            if (settings.validateEvery() > 0 && step % settings.validateEvery() == 0) {
                stoppedEarly = validate(step, validation, parameters, validations, best);
            }
            if (step % settings.checkpointEvery() == 0 || step == settings.steps() || stoppedEarly) {
                writeCheckpoint(step, losses, validations, best);
            }
        }
        if (stoppedEarly) {
            ParameterArrays.write(best, parameters);
        }
        int stepsRun = step - firstStep;
        double secondsPerStep = stepsRun == 0 ? Double.NaN : (System.nanoTime() - started) / 1e9 / stepsRun;
        return new Result(step, List.copyOf(losses), List.copyOf(validations), progressOf(validations).best(),
                stoppedEarly, firstStep, secondsPerStep, List.copyOf(recomputed));
    }

    private Map<String, Parameter> trainable() {
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        NamedParameters.of(block).forEach((name, parameter) -> {
            if (parameter.requiresGradient()) {
                trainable.put(name, parameter);
            }
        });
        return trainable;
    }

    /**
     * One optimisation step. A step whose loss or gradient is not finite is computed once more from the same
     * randomness: an engine fault that does not repeat (seen with libtorch on the CPU: NaN gradients at a step that
     * is finite when computed again) then costs nothing but the time, and is recorded in {@code recomputed}; a real
     * divergence repeats and stops the run before the weights change.
     */
    private double trainStep(Map<String, Parameter> parameters, LossFunction lossFunction, long seed, int step,
            List<Integer> recomputed) throws IOException {
        StepGradients gradients = gradients(parameters, lossFunction, seed, step);
        if (!gradients.finite()) {
            ParameterArrays.zeroGradients(parameters);
            StepGradients again = gradients(parameters, lossFunction, seed, step);
            if (!again.finite()) {
                throw diverged(parameters, step, again);
            }
            recomputed.add(step + 1);
            gradients = again;
        }
        optimizer.update(parameters, manager);
        ParameterArrays.zeroGradients(parameters);
        if (ema != null) {
            ema.update(parameters);
        }
        return gradients.loss();
    }

    /** The loss of a step and the global norm of its gradients before clipping. */
    private record StepGradients(double loss, double norm) {
        boolean finite() {
            return Double.isFinite(loss) && Double.isFinite(norm);
        }
    }

    private IOException diverged(Map<String, Parameter> parameters, int step, StepGradients gradients) {
        String repeated = " at step " + (step + 1) + ", also when the step was computed again";
        if (!Double.isFinite(gradients.loss())) {
            return new IOException("training diverged: the loss is " + gradients.loss() + repeated
                    + "; lower the learning rate or clip the gradients");
        }
        List<String> broken = GradientClipping.nonFinite(parameters);
        return new IOException("training diverged: the gradient norm is " + gradients.norm() + repeated + " (loss "
                + gradients.loss() + "; non-finite gradients in " + broken.size() + " parameter(s): "
                + String.join(", ", broken.subList(0, Math.min(5, broken.size())))
                + (broken.size() > 5 ? ", ..." : "") + "); the weights were not updated, and the checkpoints so far"
                + " stay valid");
    }

    /** Computes the loss of a step and its gradients, clipped when the settings say so. */
    private StepGradients gradients(Map<String, Parameter> parameters, LossFunction lossFunction, long seed, int step)
            throws IOException {
        SplittableRandom random = Seeding.seedAll(stepSeed(seed, step));
        double loss;
        try {
            loss = NDScopes.compute(manager, scope -> {
                try (GradientCollector collector = Engine.getEngine(manager.getEngine().getEngineName())
                        .newGradientCollector()) {
                    NDArray value = lossFunction.loss(scope, step, random);
                    collector.backward(value);
                    return (double) value.getFloat();
                }
            });
        } catch (EngineException e) {
            MemoryGuard.rethrowIfOutOfMemory(e, settings.batchSize(), deviceName);
            throw e;
        }
        if (!Double.isFinite(loss)) {
            return new StepGradients(loss, Double.NaN);
        }
        double norm = settings.maxGradientNorm() > 0
                ? GradientClipping.clipGlobalNorm(parameters, settings.maxGradientNorm())
                : GradientClipping.globalNorm(parameters);
        return new StepGradients(loss, norm);
    }

    /**
     * Validates and keeps the best weights; returns whether to stop early (patience validations in a row without
     * an improvement of at least minImprovement over the best so far).
     */
    private boolean validate(int step, Validation validation, Map<String, Parameter> parameters,
            List<ValidationPoint> validations, Map<String, NDArray> best) throws IOException {
        double value = NDScopes.compute(manager, validation::measure);
        validations.add(new ValidationPoint(step, value));
        ValidationStanding standing = progressOf(validations);
        if (standing.since() == 0) {
            best.values().forEach(NDArray::close);
            best.clear();
            best.putAll(ParameterArrays.copy(parameters, manager));
            return false;
        }
        return settings.patience() > 0 && standing.since() >= settings.patience();
    }

    private ValidationStanding progressOf(List<ValidationPoint> validations) {
        ValidationPoint best = null;
        int since = 0;
        for (ValidationPoint point : validations) {
            if (best == null || point.value() < best.value() - settings.minImprovement()) {
                best = point;
                since = 0;
            } else {
                since++;
            }
        }
        return new ValidationStanding(best, since);
    }

    private Optional<State> startingState(boolean resume) throws IOException {
        Optional<Entry> newest = checkpoints.newest();
        if (!resume) {
            if (newest.isPresent()) {
                throw new IOException(checkpoints.folder() + " already holds checkpoints of an earlier run (newest: "
                        + "step " + newest.get().step() + "); continue it with --resume or choose another "
                        + "checkpoint folder");
            }
            return Optional.empty();
        }
        if (newest.isEmpty()) {
            throw new IOException("cannot resume: " + checkpoints.folder() + " holds no checkpoint of this run");
        }
        if (newest.get().step() > settings.steps()) {
            throw new IOException("cannot resume: the newest checkpoint " + newest.get().file() + " is at step "
                    + newest.get().step() + ", beyond steps = " + settings.steps());
        }
        return Optional.of(checkpoints.read(newest.get(), manager));
    }

    private void loadParameters(byte[] saved) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("the checkpoint's parameters do not fit this network: " + e.getMessage(), e);
        }
    }

    private void writeCheckpoint(int step, List<Double> losses, List<ValidationPoint> validations,
            Map<String, NDArray> best) throws IOException {
        ByteArrayOutputStream parameterBytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(parameterBytes)) {
            block.saveParameters(out);
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>(optimizer.state());
        if (ema != null) {
            ema.averages().forEach((name, array) -> arrays.put(EMA_PREFIX + name, array));
        }
        best.forEach((name, array) -> arrays.put(BEST_PREFIX + name, array));
        checkpoints.write(new State(step, optimizer.updates(), losses, validations, parameterBytes.toByteArray(),
                arrays));
        checkpoints.prune(settings.keepCheckpoints());
    }

    private static Map<String, NDArray> withPrefix(Map<String, NDArray> arrays, String prefix) {
        Map<String, NDArray> selected = new LinkedHashMap<>();
        arrays.forEach((name, array) -> {
            if (name.startsWith(prefix)) {
                selected.put(name.substring(prefix.length()), array);
            }
        });
        return selected;
    }

    /** 2 h 05 min, 3 min 20 s, 42 s. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return s + " s";
    }
}
