package org.medsynth.ml.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.loss.AdversarialLoss;
import org.medsynth.ml.loss.ClassificationLosses;
import org.medsynth.ml.loss.DiceLoss;
import org.medsynth.ml.loss.GaussianKl;
import org.medsynth.ml.loss.GradientPenalty;
import org.medsynth.ml.loss.PerceptualLoss;
import org.medsynth.ml.loss.PixelLosses;
import org.medsynth.ml.loss.Ssim;
import org.medsynth.ml.weights.NamedParameters;
import org.medsynth.ml.weights.NpzWeights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * The training losses against PyTorch (reference/losses_reference.py, torch 1.13 in float64; SSIM also checked there
 * against scikit-image): float32 values and gradients of the loss with respect to its inputs (for the gradient
 * penalties: to the discriminator's weights, through double backpropagation) agree within 1e-5 of the largest
 * reference magnitude of each array.
 */
class LossesTest {
    private static final double TOLERANCE = 1e-5;
    private static final long IGNORE = 255;

    private static NDManager manager;
    private static Map<String, NDArray> reference;

    @BeforeAll
    static void readReference() throws IOException {
        manager = MlEngine.pytorch().newBaseManager();
        reference = NpzWeights.read(ReferenceFiles.file("losses_reference.npz"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void l1AndL2PlainWeightedAndMasked() {
        NDArray target = input("target");
        NDArray weights = input("weights");
        NDArray mask = input("mask");
        NDArray pred = leaf("pred");
        assertLoss("l1", () -> PixelLosses.l1(pred, target), Map.of("pred", pred));
        NDArray pred2 = leaf("pred");
        assertLoss("l2", () -> PixelLosses.l2(pred2, target), Map.of("pred", pred2));
        NDArray pred3 = leaf("pred");
        assertLoss("l1_weighted", () -> PixelLosses.l1(pred3, target, weights), Map.of("pred", pred3));
        NDArray pred4 = leaf("pred");
        assertLoss("l2_masked", () -> PixelLosses.l2(pred4, target, mask), Map.of("pred", pred4));
    }

    @Test
    void ssimIn2dAnd3dMatchesScikitImageAndItsGradients() {
        NDArray x2 = leaf("ssim2d_x");
        NDArray y2 = leaf("ssim2d_y");
        assertLoss("ssim2d", () -> Ssim.loss(x2, y2, 1.0), Map.of("x", x2, "y", y2));
        NDArray x3 = leaf("ssim3d_x");
        NDArray y3 = leaf("ssim3d_y");
        assertLoss("ssim3d", () -> Ssim.loss(x3, y3, 2.0), Map.of("x", x3, "y", y3));
    }

    @Test
    void ssimOfAnImageWithItselfIsOne() {
        NDArray x = input("ssim2d_x");
        assertEquals(1.0, Ssim.ssim(x, x, 1.0).getFloat(), 1e-6);
    }

    @Test
    void perceptualDistanceThroughARandomConvNet() throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            TinyNet net = tinyNet(scope);
            ParameterStore store = new ParameterStore(scope, false);
            NDArray x = leaf("perceptual_x");
            NDArray y = leaf("perceptual_y");
            assertLoss("perceptual", () -> PerceptualLoss.distance(batch -> net.features(store, batch), x, y),
                    Map.of("x", x, "y", y));
        }
    }

    @Test
    void adversarialLossesOnLogits() {
        for (AdversarialLoss loss : AdversarialLoss.values()) {
            String name = loss.name().toLowerCase().replace("_", "");
            NDArray real = leaf("real_logits");
            NDArray fake = leaf("fake_logits");
            assertLoss(name + "_d", () -> loss.discriminator(real, fake), Map.of("real", real, "fake", fake));
            NDArray fakeForGenerator = leaf("fake_logits");
            assertLoss(name + "_g", () -> loss.generator(fakeForGenerator), Map.of("fake", fakeForGenerator));
        }
    }

    @Test
    void gradientPenaltiesBackpropagateToTheDiscriminatorWeights() throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            TinyNet net = tinyNet(scope);
            ParameterStore store = new ParameterStore(scope, false);
            GradientPenalty.Critic critic = x -> net.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray real = input("gp_real");
            NDArray fake = input("gp_fake");
            NDArray epsilon = input("gp_epsilon");
            assertWeightGradients("wgan_gp", net, () -> GradientPenalty.wgan(critic, net, real, fake, epsilon));
            // the penalty's own first-order backward must leave no trace in the weights' gradients
            assertWeightGradients("wgan_gp_total", net, () -> AdversarialLoss.WASSERSTEIN
                    .discriminator(critic.apply(real), critic.apply(fake))
                    .add(GradientPenalty.wgan(critic, net, real, fake, epsilon).mul(10)));
            assertWeightGradients("r1", net, () -> GradientPenalty.r1(critic, net, real));
            assertWeightGradients("r1_total", net, () -> AdversarialLoss.NON_SATURATING
                    .discriminator(critic.apply(real), critic.apply(fake))
                    .add(GradientPenalty.r1(critic, net, real).mul(0.5f)));
            // gradients accumulated by an earlier backward are kept, and the penalty's are added to them
            assertWeightGradients("r1_total", net,
                    () -> AdversarialLoss.NON_SATURATING.discriminator(critic.apply(real), critic.apply(fake)),
                    () -> GradientPenalty.r1(critic, net, real).mul(0.5f));
        }
    }

    @Test
    void klDivergenceToTheStandardNormal() {
        NDArray mean = leaf("kl_mean");
        NDArray logVar = leaf("kl_logvar");
        assertLoss("kl", () -> GaussianKl.toStandardNormal(mean, logVar), Map.of("mean", mean, "logvar", logVar));
    }

    @Test
    void crossEntropyAndFocalLoss() {
        NDArray plainTargets = input("ce_plain_targets");
        NDArray targets = input("ce_targets");
        NDArray classWeights = input("class_weights");
        NDArray alpha = input("focal_alpha");
        NDArray a = leaf("ce_logits");
        assertLoss("ce", () -> ClassificationLosses.crossEntropy(a, plainTargets), Map.of("logits", a));
        NDArray b = leaf("ce_logits");
        assertLoss("ce_weighted_ignore", () -> ClassificationLosses.crossEntropy(b, targets, classWeights, IGNORE),
                Map.of("logits", b));
        NDArray c = leaf("ce_logits");
        assertLoss("focal", () -> ClassificationLosses.focal(c, targets, 2, alpha, IGNORE), Map.of("logits", c));
        NDArray d = leaf("ce_logits");
        assertLoss("focal_gamma0", () -> ClassificationLosses.focal(d, targets, 0, null, IGNORE),
                Map.of("logits", d));
    }

    @Test
    void softDiceFromLogitsPerClassAndFromProbabilities() {
        NDArray targets = input("dice_targets");
        NDArray a = leaf("dice_logits");
        assertLoss("dice_logits", () -> DiceLoss.fromLogits(a, targets, DiceLoss.DEFAULT_SMOOTH), Map.of("logits", a));
        NDArray b = leaf("dice_logits");
        assertLoss("dice_per_class", () -> DiceLoss.perClassFromLogits(b, targets, DiceLoss.DEFAULT_SMOOTH),
                Map.of("logits", b));
        NDArray p = leaf("dice_probabilities");
        assertLoss("dice_probabilities", () -> DiceLoss.fromProbabilities(p, targets, 1.0),
                Map.of("probabilities", p));
    }

    @Test
    void diceOfAClassAbsentFromTargetAndPredictionIsPerfectWithoutSmoothing() {
        // class 2 is in neither: its loss is 0, not 0/0; classes 0 and 1 are predicted exactly
        NDArray targets = manager.create(new long[] {0, 1, 1, 0}, new Shape(1, 2, 2));
        NDArray probabilities = targets.oneHot(3).transpose(0, 3, 1, 2).toType(DataType.FLOAT32, false);
        probabilities.setRequiresGradient(true);
        NDArray perClass;
        try (GradientCollector collector = MlEngine.pytorch().newGradientCollector()) {
            perClass = DiceLoss.perClass(probabilities, targets, 0);
            collector.backward(perClass.sum());
        }
        float[] values = perClass.toFloatArray();
        assertEquals(3, values.length);
        for (float value : values) {
            assertEquals(0, value, 1e-7);
        }
        for (float g : probabilities.getGradient().toFloatArray()) {
            assertTrue(Float.isFinite(g), "finite gradient where a class is empty");
        }
    }

    @Test
    void emptyMaskAndFullyIgnoredTargetsGiveZero() {
        NDArray pred = input("pred");
        NDArray emptyMask = manager.zeros(new Shape(2, 1, 8, 8));
        assertEquals(0, PixelLosses.l1(pred, input("target"), emptyMask).getFloat());
        NDArray ignored = manager.full(new Shape(3, 5, 6), (int) IGNORE);
        assertEquals(0, ClassificationLosses.crossEntropy(input("ce_logits"), ignored, null, IGNORE).getFloat());
    }

    @Test
    void mismatchedShapesAreNamed() {
        NDArray a = manager.zeros(new Shape(2, 1, 12, 12));
        NDArray b = manager.zeros(new Shape(2, 1, 12, 13));
        for (Runnable call : new Runnable[] {() -> PixelLosses.l1(a, b), () -> Ssim.loss(a, b, 1),
                () -> PerceptualLoss.distance(x -> List.of(x), a, b)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(e.getMessage().contains("(2, 1, 12, 12)") && e.getMessage().contains("(2, 1, 12, 13)"),
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PixelLosses.l2(a, a, manager.ones(new Shape(2, 3, 12, 12))));
        assertTrue(e.getMessage().contains("(2, 3, 12, 12)") && e.getMessage().contains("(2, 1, 12, 12)"));
        NDArray logits = manager.zeros(new Shape(2, 4, 5, 6));
        NDArray targets = manager.zeros(new Shape(2, 5, 7), DataType.INT64);
        e = assertThrows(IllegalArgumentException.class, () -> ClassificationLosses.crossEntropy(logits, targets));
        assertTrue(e.getMessage().contains("(2, 4, 5, 6)") && e.getMessage().contains("(2, 5, 7)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiceLoss.fromLogits(logits, targets, 0));
        assertTrue(e.getMessage().contains("(2, 4, 5, 6)") && e.getMessage().contains("(2, 5, 7)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ssim.loss(manager.zeros(new Shape(1, 1, 10, 12)),
                manager.zeros(new Shape(1, 1, 10, 12)), 1));
        assertTrue(e.getMessage().contains("(1, 1, 10, 12)"), e.getMessage());
    }

    @Test
    void classTargetsOutsideTheClassesAreNamed() {
        NDArray logits = manager.zeros(new Shape(1, 3, 2, 2));
        NDArray targets = manager.create(new long[] {0, 2, IGNORE, 7}, new Shape(1, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationLosses.crossEntropy(logits, targets, null, IGNORE));
        assertTrue(e.getMessage().contains("class target 7 is outside 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiceLoss.fromLogits(logits, targets, 1));
        assertTrue(e.getMessage().contains("class target " + IGNORE + " is outside 0..2"), e.getMessage());
        NDArray negative = manager.create(new long[] {0, -1, 1, 1}, new Shape(1, 2, 2));
        e = assertThrows(IllegalArgumentException.class, () -> ClassificationLosses.crossEntropy(logits, negative));
        assertTrue(e.getMessage().contains("class target -1 is outside 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationLosses.crossEntropy(logits, targets.toType(DataType.FLOAT32, false)));
        assertTrue(e.getMessage().contains("integer class indices"), e.getMessage());
    }

    private static TinyNet tinyNet(NDManager scope) throws IOException {
        TinyNet net = new TinyNet();
        NpzWeights.importInto(net, ReferenceFiles.file("losses_tinynet_weights.npz"), scope, NpzWeights.SAME_NAMES);
        return net;
    }

    private static NDArray input(String name) {
        return reference.get("in_" + name);
    }

    /** A copy of the input that collects gradients, so every loss starts from fresh ones. */
    private static NDArray leaf(String name) {
        NDArray copy = input(name).duplicate();
        copy.setRequiresGradient(true);
        return copy;
    }

    /** The loss value, and the gradients of its sum with respect to each named input. */
    private static void assertLoss(String name, Supplier<NDArray> loss, Map<String, NDArray> inputs) {
        NDArray value;
        try (GradientCollector collector = MlEngine.pytorch().newGradientCollector()) {
            value = loss.get();
            collector.backward(value.sum());
        }
        assertEquals(DataType.FLOAT32, value.getDataType(), name + " keeps float32");
        assertClose(reference.get("value_" + name), value, name);
        for (Map.Entry<String, NDArray> input : inputs.entrySet()) {
            assertClose(reference.get("grad_" + name + "_" + input.getKey()), input.getValue().getGradient(),
                    "gradient of " + name + " with respect to " + input.getKey());
        }
    }

    /**
     * The loss value, and its gradients with respect to every weight of {@code net}, from gradients zeroed once and
     * then accumulated over one backward per part of the loss.
     */
    @SafeVarargs
    private static void assertWeightGradients(String name, TinyNet net, Supplier<NDArray>... lossParts) {
        double value = 0;
        for (int part = 0; part < lossParts.length; part++) {
            try (GradientCollector collector = MlEngine.pytorch().newGradientCollector()) {
                if (part == 0) {
                    collector.zeroGradients();
                }
                NDArray loss = lossParts[part].get();
                value += loss.toType(DataType.FLOAT64, false).getDouble();
                collector.backward(loss);
            }
        }
        assertClose(reference.get("value_" + name), manager.create(value), name);
        Map<String, Parameter> parameters = new LinkedHashMap<>(NamedParameters.of(net));
        assertEquals(6, parameters.size());
        for (Map.Entry<String, Parameter> parameter : parameters.entrySet()) {
            assertClose(reference.get("grad_" + name + "_" + parameter.getKey()),
                    parameter.getValue().getArray().getGradient(), "gradient of " + name + " with respect to "
                            + parameter.getKey());
        }
    }

    /** Largest difference at most TOLERANCE × the largest reference magnitude (exact where the reference is 0). */
    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what + " shape");
        double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= TOLERANCE * scale, what + ": largest difference to PyTorch " + worst + " for values up to "
                + scale + " (relative " + worst / scale + ")");
    }
}
