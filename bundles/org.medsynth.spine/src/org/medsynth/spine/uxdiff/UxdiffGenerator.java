package org.medsynth.spine.uxdiff;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.Seeding;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.spine.uxdiff.SpinePairs.Pair;

import ai.djl.Model;

/**
 * Translates coronal spine ultrasounds into AP radiographs with a UXDiff model ({@code spine.uxdiff}; the shipped
 * spine-uxdiff by default): as the student, conditioned on the UCA (measured on each ultrasound unless given), or as
 * the teacher, conditioned on a Cobb angle. DDIM from seeded noise. Without input images it translates
 * {@code count} spine phantoms drawn as in training and writes, per case, the ultrasound, the generated and the
 * true radiograph. The weight file's sha256 is checked against the model card before anything is loaded.
 */
public final class UxdiffGenerator implements Generator {
    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        String id = request.contribution().id();
        String condition = request.parameters().getString("condition");
        double cobb = request.parameters().getDouble("cobb-angle");
        double uca = request.parameters().getDouble("uca");
        int steps = request.parameters().getInt("sampling-steps");
        double eta = request.parameters().getDouble("eta");
        if (condition.equals("cobb") && cobb < 0 && !request.inputs().isEmpty()) {
            throw new CoreException(Status.error(id + ": the teacher (condition cobb) needs a cobb-angle for input "
                    + "ultrasounds; only phantoms bring their own"));
        }
        try {
            ModelCard card = ModelCard.read(ModelCard.locate(request.parameters().getString("model")),
                    UxdiffNetwork.ARCHITECTURE, UxdiffTrainer.TRAINER);
            UxdiffNetwork spec = UxdiffNetwork.fromCard(card);
            if (steps > spec.trainingSteps()) {
                throw new IOException("sampling-steps is " + steps + ", but the model was trained with "
                        + spec.trainingSteps() + " diffusion steps");
            }
            SpinePairs cases = SpinePairs.generationInputs(request.inputs(), request.count(), spec.columns(),
                    request.seed());
            double[][] angles = new double[cases.size()][];
            for (int i = 0; i < cases.size(); i++) {
                Pair pair = cases.pairs().get(i);
                angles[i] = condition.equals("cobb")
                        ? new double[] {cobb >= 0 ? cobb : pair.cobbDegrees(), SpinePairs.MISSING_ANGLE}
                        : new double[] {SpinePairs.MISSING_ANGLE, uca >= 0 ? uca : pair.ucaDegrees()};
            }
            return MlEngine.inEngineContext(() -> sample(request, card, spec, cases, angles, steps, eta, monitor));
        } catch (IOException | IllegalArgumentException e) {
            throw new CoreException(Status.error(id + ": " + e.getMessage(), e));
        }
    }

    private static GenerationResult sample(GenerationRequest request, ModelCard card, UxdiffNetwork spec,
            SpinePairs cases, double[][] angles, int steps, double eta, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Translating " + cases.size() + " ultrasound(s)",
                cases.size() + 1);
        UxdiffModel network = spec.build();
        try (Model model = card.load(network, request.device())) {
            progress.split(1);
            SplittableRandom random = Seeding.seedAll(request.seed());
            List<NamedImage> outputs = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                Pair pair = cases.pairs().get(i);
                float[] xray = spec.sample(network, List.of(pair.ultrasound()), new double[][] {angles[i]}, steps,
                        eta, random.split(), model.getNDManager(), progress.split(1));
                outputs.addAll(outputs(pair, xray, spec.columns()));
            }
            return new GenerationResult(outputs, card.id(), card.weightSha256(), MlEngine.engineVersions());
        }
    }

    /** The generated radiograph of a case; for a phantom also its ultrasound and its true radiograph. */
    static List<NamedImage> outputs(Pair pair, float[] generated, int columns) {
        List<NamedImage> outputs = new ArrayList<>();
        if (pair.xray() != null) {
            outputs.add(new NamedImage(pair.id() + "-ultrasound", SpinePairs.ultrasoundImage(pair.ultrasound(),
                    columns, pair.geometry())));
            outputs.add(new NamedImage(pair.id() + "-true-x-ray", SpinePairs.xrayImage(pair.xray(), columns,
                    pair.geometry())));
        }
        outputs.add(new NamedImage(pair.id() + "-x-ray", SpinePairs.xrayImage(generated, columns, pair.geometry())));
        return outputs;
    }
}
