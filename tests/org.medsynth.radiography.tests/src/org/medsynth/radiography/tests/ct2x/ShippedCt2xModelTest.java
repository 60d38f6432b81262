package org.medsynth.radiography.tests.ct2x;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.core.jobs.GenerationJob;
import org.medsynth.core.jobs.Sha256;
import org.medsynth.core.api.Contribution.Kind;
import org.medsynth.core.registry.Contributions;
import org.medsynth.core.registry.ImageFormats;
import org.medsynth.data.examples.InvesaliusHeadCt;
import org.medsynth.eval.Voxels;
import org.medsynth.ml.MlEngine;
import org.medsynth.ml.weights.ModelCard;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.Volume;
import org.medsynth.radiography.ct2x.Ct2xEvaluation;
import org.medsynth.radiography.ct2x.Ct2xModel;
import org.medsynth.radiography.ct2x.CtVolumes;
import org.medsynth.radiography.ct2x.Radiographs;

import ai.djl.ndarray.NDManager;
import net.imglib2.img.array.ArrayImgs;

/**
 * The shipped radiography-ct2x-gan: its weights match the card, and on the real head CT it renders views that match
 * the physics: DRR-style outputs close to the DRRs with the head where the DRR has it, and X-ray-style outputs
 * nearer the radiograph-style rendering than the DRR is.
 */
class ShippedCt2xModelTest {
    private static final double[] ANGLES = {-60, 0, 60};
    /** Below what the shipped model measures on the head (its card), above what an untrained network gives. */
    private static final double PSNR_FLOOR = 15;
    /** DRR level (line integral / full scale) above which a ray crosses the head. */
    private static final double BODY = 0.05;

    @TempDir
    static Path work;

    private static ModelCard card;
    private static int size;
    private static Volume cube;
    private static List<float[]> xray;
    private static List<float[]> drrStyle;

    @BeforeAll
    static void renderTheHead() throws Exception {
        card = ModelCard.read(ModelCard.locate("radiography-ct2x-gan"), Ct2xModel.ARCHITECTURE, Ct2xModel.TRAINER);
        InvesaliusHeadCt head = InvesaliusHeadCt.readInstalled();
        MedicalImage<?> ct = MedicalImage.of(ArrayImgs.floats(head.hu(), head.nx(), head.ny(), head.nz()),
                Geometry.of(new double[] {head.spacingX(), head.spacingY(), head.spacingZ()}), Modality.CT,
                IntensityUnit.HOUNSFIELD);
        Path input = work.resolve("head.mha");
        ImageFormats.get().write(ct, input);
        size = Ct2xModel.fromCard(card).config().imageSize();
        cube = CtVolumes.cube(PhysicsImages.volume(ct), Ct2xModel.fromCard(card).config().ctSize());
        Path out = work.resolve("views");
        GenerationJob job = new GenerationJob(Contributions.get().require(Kind.GENERATOR, "radiography.ct2x"),
                Map.of("views", "-60,0,60", "style", "both"), 1, 1, List.of(input), out, List.of("mha"), "cpu");
        job.schedule();
        job.join();
        assertTrue(job.getResult().isOK(), job.getResult().toString());
        xray = new ArrayList<>();
        drrStyle = new ArrayList<>();
        for (int v = 0; v < ANGLES.length; v++) {
            MedicalImage<?> x = ImageFormats.get().read(out.resolve(String.format("xray-%02d.mha", v)));
            assertTrue(x.isSynthetic());
            assertEquals("radiography-ct2x-gan", x.provenance().modelCardId());
            xray.add(floats(x));
            drrStyle.add(floats(ImageFormats.get().read(out.resolve(String.format("drr-style-%02d.mha", v)))));
        }
    }

    @Test
    void weightsMatchTheCard() throws Exception {
        assertEquals(card.weightSha256(), Sha256.of(card.folder().resolve(card.weightFile())));
        assertTrue(Files.size(card.folder().resolve(card.weightFile())) < 2_000_000, "a tiny demo model");
    }

    @Test
    void drrStyleViewsOfTheHeadMatchItsDrrs() {
        List<float[]> drrs = new ArrayList<>();
        for (double angle : ANGLES) {
            drrs.add(Radiographs.drr(cube, size, angle));
        }
        Ct2xEvaluation.Paired paired = Ct2xEvaluation.paired(drrStyle, drrs, size);
        assertTrue(paired.psnr() > PSNR_FLOOR, "PSNR " + paired.psnr());
        for (int v = 0; v < ANGLES.length; v++) {
            double dice = dice(drrs.get(v), BODY, drrStyle.get(v), BODY);
            assertTrue(dice > 0.8, "the head where the DRR has it: Dice " + dice);
        }
    }

    @Test
    void xrayStyleViewsAreNearerTheRadiographStyleThanTheDrrIs() {
        List<float[]> drrs = new ArrayList<>();
        List<float[]> radiographs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(9);
        for (double angle : ANGLES) {
            drrs.add(Radiographs.drr(cube, size, angle));
            radiographs.add(Radiographs.radiograph(cube, size, angle, random));
        }
        double[] distances = MlEngine.inEngineContext(() -> {
            try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu(), MlEngine.ENGINE_NAME)) {
                return new double[] {Ct2xEvaluation.lpips(xray, radiographs, size, manager),
                        Ct2xEvaluation.lpips(drrs, radiographs, size, manager)};
            }
        });
        assertTrue(distances[0] < distances[1], "LPIPS-style model " + distances[0] + ", DRR " + distances[1]);
    }

    private static float[] floats(MedicalImage<?> image) {
        double[] values = Voxels.of(image).values();
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double dice(float[] a, double aThreshold, float[] b, double bThreshold) {
        int both = 0;
        int sum = 0;
        for (int i = 0; i < a.length; i++) {
            boolean inA = a[i] > aThreshold;
            boolean inB = b[i] > bThreshold;
            both += inA && inB ? 1 : 0;
            sum += (inA ? 1 : 0) + (inB ? 1 : 0);
        }
        return 2.0 * both / sum;
    }
}
