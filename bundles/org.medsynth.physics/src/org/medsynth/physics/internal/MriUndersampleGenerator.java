package org.medsynth.physics.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.physics.CoilSensitivities;
import org.medsynth.physics.ComplexArray;
import org.medsynth.physics.ConjugateGradient;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.SamplingMasks;
import org.medsynth.physics.SenseOperator;

/**
 * Undersampled Cartesian MRI of a 2D image: the image (real, zero phase) is encoded by {@link SenseOperator} with
 * simulated coil sensitivities ({@link CoilSensitivities}, one coil = unit sensitivity) and a sampling mask of
 * {@link SamplingMasks}. Outputs {@code mask} (1 sampled, 0 not), {@code zero-filled} |Aᴴy| (the
 * sensitivity-weighted coil combination of the zero-filled coil images) and, if asked, {@code cg-sense}: |x| of the
 * conjugate-gradient solution of (AᴴA + λI) x = Aᴴy. Images keep the input's grid, geometry and units.
 */
public final class MriUndersampleGenerator implements Generator {

    /** Relative residual at which conjugate gradient stops early. */
    private static final double CG_TOLERANCE = 1e-8;
    /** Standard deviation of the Gaussian sampling densities, as a fraction of the grid side. */
    private static final double DENSITY_SIGMA = 0.25;

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        MedicalImage<?> input = GeneratorInputs.single(request, 2, "a 2D single-channel image");
        ParameterValues p = request.parameters();
        SubMonitor progress = SubMonitor.convert(monitor, 2);
        int nx = (int) input.dimensions()[0];
        int ny = (int) input.dimensions()[1];
        double[] spacing = input.geometry().spacing();
        try {
            boolean[] mask = mask(p, ny, nx, request.seed());
            SenseOperator encoding = new SenseOperator(CoilSensitivities.simulate(p.getInt("coils"), ny, nx),
                    new int[] {ny, nx}, mask);
            ComplexArray measured = encoding.forward(ComplexArray.ofReal(PhysicsImages.pixels2d(input)));
            ComplexArray zeroFilled = encoding.adjoint(measured);
            progress.split(1);
            List<NamedImage> images = new ArrayList<>();
            float[] maskValues = new float[mask.length];
            for (int i = 0; i < mask.length; i++) {
                maskValues[i] = mask[i] ? 1 : 0;
            }
            images.add(new NamedImage("mask", PhysicsImages.image(maskValues, nx, ny, spacing[0], spacing[1],
                    input.modality(), IntensityUnit.LABEL).withGeometry(input.geometry())));
            images.add(new NamedImage("zero-filled", like(input, zeroFilled.magnitude())));
            if (p.getBoolean("cg-sense")) {
                ComplexArray solved = ConjugateGradient.solve(encoding.normal(p.getDouble("regularisation")),
                        zeroFilled, p.getInt("cg-iterations"), CG_TOLERANCE);
                images.add(new NamedImage("cg-sense", like(input, solved.magnitude())));
            }
            progress.split(1);
            return GenerationResult.weightFree(images);
        } catch (IllegalArgumentException e) {
            throw GeneratorInputs.error(request.contribution().id() + ": " + e.getMessage());
        }
    }

    /** The mask the parameters name; the random ones are drawn from the run's seed. */
    static boolean[] mask(ParameterValues p, int ny, int nx, long seed) {
        double acceleration = p.getDouble("acceleration");
        double centre = p.getDouble("centre-fraction");
        int centreRows = (int) Math.round(centre * ny);
        double centreRadius = 0.5 * centre * Math.min(ny, nx);
        return switch (p.getString("mask")) {
            case "uniform" -> {
                if (acceleration != Math.rint(acceleration)) {
                    throw new IllegalArgumentException("a uniform mask takes every R-th row, so the acceleration "
                            + "must be a whole number, got " + acceleration);
                }
                yield SamplingMasks.uniform1d(ny, nx, (int) acceleration, centreRows);
            }
            case "gaussian-1d" -> SamplingMasks.gaussian1d(ny, nx, acceleration, centreRows, DENSITY_SIGMA, seed);
            case "gaussian-2d" -> SamplingMasks.gaussian2d(ny, nx, acceleration, centreRadius, DENSITY_SIGMA, seed);
            case "poisson-disc" -> SamplingMasks.poissonDisc(ny, nx, acceleration, centreRadius, seed);
            default -> throw new IllegalArgumentException("unknown mask '" + p.getString("mask") + "'");
        };
    }

    private static MedicalImage<?> like(MedicalImage<?> input, float[] values) {
        double[] spacing = input.geometry().spacing();
        return PhysicsImages.image(values, (int) input.dimensions()[0], (int) input.dimensions()[1], spacing[0],
                spacing[1], input.modality(), input.unit()).withGeometry(input.geometry());
    }
}
