package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.api.TrainingProgress;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.nn.Conv;
import org.medsynth.ml.nn.Dense;
import org.medsynth.ml.train.Adam;
import org.medsynth.ml.train.BatchDoesNotFitException;
import org.medsynth.ml.train.Checkpoints;
import org.medsynth.ml.train.GradientClipping;
import org.medsynth.ml.train.TrainingLoop;
import org.medsynth.ml.train.TrainingLoop.Result;
import org.medsynth.ml.train.TrainingLoop.Settings;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.NpzWeights;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The shared training loop: Adam, AdamW, clipping and the moving average against torch.optim (reference/
 * training_reference.py) and Adam against DJL's own, bit-identical resume, early stopping, cancellation, the memory guard and damaged
 * checkpoints.
 */
class TrainingLoopTest {
    private static final double TOLERANCE = 2e-6;
    private static final Shape[] LINEAR_INPUT = {new Shape(5, 3)};
    private static final Shape[] IMAGE_INPUT = {new Shape(2, 1, 16, 16)};

    @TempDir
    Path folder;

    @Test
    void adamWithClippingAndMovingAverageFollowsTorch() throws IOException {
        fitReferenceLinear("adam", new Adam(0.05), Settings.of(5, 5, 100).withGradientClipping(0.5).withEma(0.9));
    }

    @Test
    void adamWithDecoupledWeightDecayFollowsTorchAdamW() throws IOException {
        fitReferenceLinear("adamw", new Adam(0.05, 0.9, 0.999, 1e-8, 0.1), Settings.of(5, 5, 100));
    }

    /**
     * Fits the reference linear layer as training_reference.py's run {@code run} did and compares losses, final
     * weights and, where the run had one, the moving average.
     */
    private void fitReferenceLinear(String run, Adam adam, Settings settings) throws IOException {
        MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                Map<String, NDArray> reference = NpzWeights.read(ReferenceFiles.file("training_reference.npz"),
                        manager);
                Block linear = referenceLinear(manager);
                TrainingLoop loop = new TrainingLoop(new Checkpoints(folder, "linear"), linear, LINEAR_INPUT, manager,
                        adam, settings);
                Result result = loop.run(1, false, (scope, step, random) -> linearLoss(linear, scope, reference),
                        null, TrainingProgress.NONE, new NullProgressMonitor());
                assertClose(reference.get(run + "_losses").toDoubleArray(), toArray(result.losses()));
                assertClose(reference.get(run + "_weight"), parameter(linear, "weight"));
                assertClose(reference.get(run + "_bias"), parameter(linear, "bias"));
                if (settings.emaDecay() > 0) {
                    loop.ema().orElseThrow().writeInto(NamedParameters.of(linear));
                    assertClose(reference.get(run + "_ema_weight"), parameter(linear, "weight"));
                    assertClose(reference.get(run + "_ema_bias"), parameter(linear, "bias"));
                }
            }
            return null;
        });
    }

    @Test
    void globalNormClippingFollowsTorch() throws IOException {
        MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                Map<String, NDArray> reference = NpzWeights.read(ReferenceFiles.file("training_reference.npz"),
                        manager);
                Block linear = referenceLinear(manager);
                linear.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, LINEAR_INPUT);
                try (GradientCollector collector = MlEngine.pytorch().newGradientCollector()) {
                    collector.backward(linearLoss(linear, manager, reference));
                }
                Map<String, Parameter> parameters = NamedParameters.of(linear);
                double norm = GradientClipping.clipGlobalNorm(parameters, 0.5);
                assertEquals(reference.get("adam_norms").toDoubleArray()[0], norm, 1e-6 * norm);
                assertEquals(0.5, GradientClipping.clipGlobalNorm(parameters, 100), 1e-6);
            }
            return null;
        });
    }

    /**
     * On a DJL SequentialBlock of two same-type convolutions, the loop follows DJL's own Adam step for step: every
     * parameter is found (names of same-type children must not collide) and updated.
     */
    @Test
    void followsDjlsOwnAdamOnASequentialNetwork() throws IOException {
        Shape shape = new Shape(4, 1, 16, 16);
        List<Double> djl = new ArrayList<>();
        List<Double> loop = MlEngine.inEngineContext(() -> {
            try (Model model = Model.newInstance("djl", Device.cpu(), MlEngine.ENGINE_NAME)) {
                model.setBlock(sequentialConvolutions());
                Seeding.seedAll(3);
                try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss("mse", 1))
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build())
                        .optDevices(new Device[] {Device.cpu()}))) {
                    trainer.initialize(shape);
                    for (int step = 0; step < 20; step++) {
                        Seeding.seedAll(100 + step);
                        try (NDManager scope = trainer.getManager().newSubManager();
                                GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray x = scope.randomNormal(shape);
                            NDArray loss = trainer.getLoss().evaluate(new NDList(x.mul(2)),
                                    trainer.forward(new NDList(x)));
                            collector.backward(loss);
                            djl.add((double) loss.getFloat());
                        }
                        trainer.step();
                    }
                }
            }
            try (Model model = Model.newInstance("loop", Device.cpu(), MlEngine.ENGINE_NAME)) {
                Block network = sequentialConvolutions();
                model.setBlock(network);
                return new TrainingLoop(new Checkpoints(folder, "sequential"), network, new Shape[] {shape},
                        model.getNDManager(), new Adam(0.001), Settings.of(20, 4, 100)).run(3, false,
                                (scope, step, random) -> {
                                    Seeding.seedAll(100 + step);
                                    NDArray x = scope.randomNormal(shape);
                                    return network.forward(new ParameterStore(scope, false), new NDList(x), true)
                                            .singletonOrThrow().sub(x.mul(2)).square().mean();
                                }, null, TrainingProgress.NONE, new NullProgressMonitor()).losses();
            }
        });
        assertClose(toArray(djl), toArray(loop));
        assertTrue(loop.get(19) < loop.get(0));
    }

    private static Block sequentialConvolutions() {
        // no activation: DJL's LambdaBlocks need DJL's default engine, which a test before this one leaves unset
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(1).build());
    }

    @Test
    void resumedRunIsBitIdenticalToAnUninterruptedOne() throws IOException {
        Path straight = folder.resolve("straight");
        Path interrupted = folder.resolve("interrupted");
        Settings settings = Settings.of(6, 2, 3).withGradientClipping(1).withEma(0.9).withValidation(2, 0, 0);
        Run whole = trainConv(straight, settings, false);
        Run firstHalf = trainConv(interrupted, Settings.of(3, 2, 3).withGradientClipping(1).withEma(0.9)
                .withValidation(2, 0, 0), false);
        Run secondHalf = trainConv(interrupted, settings, true);
        assertEquals(3, secondHalf.result().resumedFrom());
        assertEquals(whole.result().losses(), secondHalf.result().losses());
        assertEquals(whole.result().validations(), secondHalf.result().validations());
        assertEquals(firstHalf.result().losses(), whole.result().losses().subList(0, 3));
        assertEquals(whole.weights().keySet(), secondHalf.weights().keySet());
        whole.weights().forEach((name, values) -> assertArrayEquals(values, secondHalf.weights().get(name), name));
        whole.ema().forEach((name, values) -> assertArrayEquals(values, secondHalf.ema().get(name), "ema " + name));
        assertFalse(whole.weights().equals(firstHalf.weights()));
    }

    @Test
    void stopsEarlyAndRestoresTheBestWeights() throws IOException {
        Iterator<Double> scores = List.of(5.0, 4.0, 4.5, 3.99, 4.2, 1.0).iterator();
        List<float[]> weightsAtValidation = new ArrayList<>();
        Run run = MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                Conv conv = Conv.same(2, 1, 1, 3);
                TrainingLoop loop = new TrainingLoop(new Checkpoints(folder, "conv"), conv, IMAGE_INPUT, manager,
                        new Adam(0.01), Settings.of(100, 2, 50).withValidation(1, 2, 0.05));
                Result result = loop.run(7, false, (scope, step, random) -> convLoss(conv, scope), scope -> {
                    weightsAtValidation.add(parameter(conv, "weight"));
                    return scores.next();
                }, TrainingProgress.NONE, new NullProgressMonitor());
                return new Run(result, Map.of("weight", parameter(conv, "weight")), Map.of());
            }
        });
        // 3.99 is not 0.05 better than 4.0: the validations after the second count as no improvement
        assertTrue(run.result().stoppedEarly());
        assertEquals(4, run.result().stepsDone());
        assertEquals(4.0, run.result().best().orElseThrow().value());
        assertArrayEquals(weightsAtValidation.get(1), run.weights().get("weight"));
        assertEquals(4, new Checkpoints(folder, "conv").newest().orElseThrow().step());
    }

    @Test
    void cancelledRunKeepsItsCheckpointsAndResumes() throws IOException {
        List<Integer> stepsSeen = new ArrayList<>();
        TrainingProgress cancelAfterThree = new TrainingProgress() {
            @Override
            public void step(int step, double loss) {
                stepsSeen.add(step);
            }
        };
        NullProgressMonitor monitor = new NullProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return stepsSeen.size() >= 3;
            }
        };
        assertThrows(OperationCanceledException.class, () -> trainConv(folder, Settings.of(10, 2, 2), false,
                cancelAfterThree, monitor));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of("conv-step-000002.ckpt"), files.map(p -> p.getFileName().toString()).toList());
        }
        Run resumed = trainConv(folder, Settings.of(10, 2, 2), true);
        assertEquals(2, resumed.result().resumedFrom());
        assertEquals(10, resumed.result().losses().size());
    }

    @Test
    void reportsRateAndTimeLeft() throws IOException {
        List<double[]> rates = new ArrayList<>();
        MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                Conv conv = Conv.same(2, 1, 1, 3);
                return new TrainingLoop(new Checkpoints(folder, "conv"), conv, IMAGE_INPUT, manager, new Adam(0.01),
                        Settings.of(4, 2, 10)).run(3, false, (scope, step, random) -> convLoss(conv, scope), null,
                                new TrainingProgress() {
                                    @Override
                                    public void rate(int step, int total, double perSecond, double left) {
                                        rates.add(new double[] {step, total, perSecond, left});
                                    }
                                }, new NullProgressMonitor());
            }
        });
        assertEquals(4, rates.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1, rates.get(i)[0]);
            assertEquals(4, rates.get(i)[1]);
            assertTrue(rates.get(i)[2] > 0);
            assertTrue(rates.get(i)[3] >= 0);
        }
        assertEquals(0, rates.get(3)[3]);
    }

    @Test
    void batchBeyondTheMemoryBudgetIsReportedNotFatal() throws IOException {
        assumeTrue(Files.isWritable(Path.of("/proc/self/clear_refs")), "peak memory measurement needs Linux /proc");
        BatchDoesNotFitException e = assertThrows(BatchDoesNotFitException.class, () -> MlEngine
                .inEngineContext(() -> {
                    try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                        Conv conv = Conv.same(2, 1, 8, 3);
                        Shape big = new Shape(64, 1, 256, 256);
                        return new TrainingLoop(new Checkpoints(folder, "conv"), conv, new Shape[] {big}, manager,
                                new Adam(0.01), Settings.of(3, 64, 10).withMemoryBudget(16)).run(3, false,
                                        (scope, step, random) -> conv.forward(new ParameterStore(scope, false),
                                                new NDList(scope.randomNormal(big)), true).singletonOrThrow()
                                                .square().mean(),
                                        null, TrainingProgress.NONE, new NullProgressMonitor());
                    }
                }));
        assertTrue(e.getMessage().contains("a batch of 64 does not fit in the memory budget of 16 MB"),
                e.getMessage());
    }

    @Test
    void divergingLossStopsWithAClearError() throws IOException {
        IOException e = assertThrows(IOException.class, () -> MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                Conv conv = Conv.same(2, 1, 1, 3);
                return new TrainingLoop(new Checkpoints(folder, "conv"), conv, IMAGE_INPUT, manager, new Adam(0.01),
                        Settings.of(3, 2, 10)).run(3, false,
                                (scope, step, random) -> convLoss(conv, scope).div(0), null, TrainingProgress.NONE,
                                new NullProgressMonitor());
            }
        }));
        assertTrue(e.getMessage().contains("training diverged: the loss is Infinity at step 1, also when the step was "
                + "computed again"), e.getMessage());
    }

    /** After its drop step the learning rate is multiplied by the factor: a tiny factor all but freezes the weights. */
    @Test
    void learningRateDropsAfterItsStep() throws IOException {
        Adam dropping = new Adam(0.01).withLearningRateDrop(2, 1e-9);
        assertEquals(0.01, dropping.learningRate(2));
        assertEquals(1e-11, dropping.learningRate(3), 1e-24);
        Run two = trainConv(folder.resolve("two"), Settings.of(2, 2, 5), false, TrainingProgress.NONE,
                new NullProgressMonitor(), -1, new Adam(0.01));
        Run five = trainConv(folder.resolve("five"), Settings.of(5, 2, 5), false, TrainingProgress.NONE,
                new NullProgressMonitor(), -1, dropping);
        Run fiveWithout = trainConv(folder.resolve("without"), Settings.of(5, 2, 5), false, TrainingProgress.NONE,
                new NullProgressMonitor(), -1, new Adam(0.01));
        for (String name : two.weights().keySet()) {
            assertArrayEquals(two.weights().get(name), five.weights().get(name), 1e-6f, name);
            assertFalse(java.util.Arrays.equals(two.weights().get(name), fiveWithout.weights().get(name)), name);
        }
    }

    /**
     * A non-finite loss that does not repeat when its step is computed again (an engine fault) costs nothing but
     * the time: the run ends with the same bits as one without the fault, and says which step was recomputed.
     */
    @Test
    void aNonFiniteStepThatDoesNotRepeatIsComputedAgain() throws IOException {
        Settings settings = Settings.of(5, 2, 5).withGradientClipping(1).withEma(0.9);
        Run clean = trainConv(folder.resolve("clean"), settings, false, TrainingProgress.NONE, new NullProgressMonitor(), -1);
        Run faulty = trainConv(folder.resolve("faulty"), settings, false, TrainingProgress.NONE, new NullProgressMonitor(), 2);
        assertEquals(List.of(), clean.result().recomputedSteps());
        assertEquals(List.of(3), faulty.result().recomputedSteps());
        assertEquals(clean.result().losses(), faulty.result().losses());
        for (String name : clean.weights().keySet()) {
            assertArrayEquals(clean.weights().get(name), faulty.weights().get(name), name);
            assertArrayEquals(clean.ema().get(name), faulty.ema().get(name), "ema/" + name);
        }
    }

    @Test
    void resumeNeedsACheckpointAndAFreshRunRefusesOldOnes() throws IOException {
        IOException none = assertThrows(IOException.class, () -> trainConv(folder, Settings.of(2, 2, 1), true));
        assertTrue(none.getMessage().contains("cannot resume: " + folder + " holds no checkpoint"), none.getMessage());
        trainConv(folder, Settings.of(2, 2, 1), false);
        IOException old = assertThrows(IOException.class, () -> trainConv(folder, Settings.of(2, 2, 1), false));
        assertTrue(old.getMessage().contains("already holds checkpoints of an earlier run (newest: step 2)"),
                old.getMessage());
        Path newest = new Checkpoints(folder, "conv").newest().orElseThrow().file();
        byte[] content = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(content, content.length / 2));
        IOException truncated = assertThrows(IOException.class, () -> trainConv(folder, Settings.of(4, 2, 1), true));
        assertTrue(truncated.getMessage().contains(newest + " is truncated"), truncated.getMessage());
    }

    private record Run(Result result, Map<String, float[]> weights, Map<String, float[]> ema) {
    }

    /** A 1→4→1 linear convolutional net on random images and random targets drawn from the step's randomness. */
    private static Run trainConv(Path checkpoints, Settings settings, boolean resume) throws IOException {
        return trainConv(checkpoints, settings, resume, TrainingProgress.NONE, new NullProgressMonitor());
    }

    private static Run trainConv(Path checkpoints, Settings settings, boolean resume, TrainingProgress progress,
            IProgressMonitor monitor) throws IOException {
        return trainConv(checkpoints, settings, resume, progress, monitor, -1);
    }

    private static Run trainConv(Path checkpoints, Settings settings, boolean resume, TrainingProgress progress,
            IProgressMonitor monitor, int faultyStep) throws IOException {
        return trainConv(checkpoints, settings, resume, progress, monitor, faultyStep, new Adam(0.01));
    }

    /** ... with the loss of step {@code faultyStep} (from 0; -1: none) NaN the first time it is computed. */
    private static Run trainConv(Path checkpoints, Settings settings, boolean resume, TrainingProgress progress,
            IProgressMonitor monitor, int faultyStep, Adam adam) throws IOException {
        java.util.Set<Integer> faulted = new java.util.HashSet<>();
        return MlEngine.inEngineContext(() -> {
            try (NDManager manager = MlEngine.pytorch().newBaseManager()) {
                SequentialBlock net = new SequentialBlock().add(Conv.same(2, 1, 4, 3)).add(Conv.same(2, 4, 1, 3));
                TrainingLoop loop = new TrainingLoop(new Checkpoints(checkpoints, "conv"), net, IMAGE_INPUT, manager,
                        adam, settings);
                Result result = loop.run(11, resume, (scope, step, random) -> {
                    NDArray x = scope.randomNormal(IMAGE_INPUT[0]);
                    NDArray target = x.mul((float) random.nextDouble());
                    NDArray y = net.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow();
                    NDArray loss = y.sub(target).square().mean();
                    return step == faultyStep && faulted.add(step) ? loss.mul(Float.NaN) : loss;
                }, scope -> {
                    NDArray x = scope.ones(IMAGE_INPUT[0]);
                    return net.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow()
                            .sub(x).square().mean().getFloat();
                }, progress, monitor);
                Map<String, float[]> weights = new java.util.TreeMap<>();
                NamedParameters.of(net).forEach((name, p) -> weights.put(name, p.getArray().toFloatArray()));
                Map<String, float[]> ema = new java.util.TreeMap<>();
                loop.ema().ifPresent(average -> average.averages().forEach((name, a) -> ema.put(name,
                        a.toFloatArray())));
                return new Run(result, weights, ema);
            }
        });
    }

    private static NDArray convLoss(Block conv, NDManager scope) {
        NDArray x = scope.randomNormal(IMAGE_INPUT[0]);
        return conv.forward(new ParameterStore(scope, false), new NDList(x), true).singletonOrThrow().sub(x.mul(2))
                .square().mean();
    }

    private static Block referenceLinear(NDManager manager) throws IOException {
        Dense linear = new Dense(3, 4);
        NpzWeights.importInto(linear, ReferenceFiles.file("training_weights.npz"), manager, NpzWeights.SAME_NAMES);
        return linear;
    }

    private static NDArray linearLoss(Block linear, NDManager scope, Map<String, NDArray> reference) {
        NDArray y = linear.forward(new ParameterStore(scope, false), new NDList(reference.get("x")), true)
                .singletonOrThrow();
        return y.sub(reference.get("y")).square().mean();
    }

    private static float[] parameter(Block block, String name) {
        return NamedParameters.of(block).get(name).getArray().toFloatArray();
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void assertClose(NDArray expected, float[] actual) {
        double[] widened = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            widened[i] = actual[i];
        }
        assertClose(expected.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray(), widened);
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }
}
