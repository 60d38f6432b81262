package org.medsynth.physics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import net.imglib2.type.numeric.real.FloatType;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.medsynth.core.api.GenerationRequest;
import org.medsynth.core.api.GenerationResult;
import org.medsynth.core.api.GenerationResult.NamedImage;
import org.medsynth.core.api.Generator;
import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.physics.AttenuationModel;
import org.medsynth.physics.BeerLambert;
import org.medsynth.physics.CountNoise;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;

/**
 * Digitally reconstructed radiographs of a CT volume in HU: HU → μ at the tube's effective energy
 * ({@link AttenuationModel#atKvp}), line integrals through the volume (centred on the rotation axis) for every
 * gantry angle, optionally with Poisson photon noise, as attenuation line integrals or transmitted intensity I/I₀.
 * One output per view, {@code drr-00}, {@code drr-01}, … in the order of the {@code views} parameter; each is a 2D
 * image with the detector's pixel spacing and its centre at the origin.
 */
public final class DrrGenerator implements Generator {

    @Override
    public GenerationResult generate(GenerationRequest request, IProgressMonitor monitor) throws CoreException {
        MedicalImage<?> input = GeneratorInputs.single(request, 3, "a 3D CT volume in HU");
        if (input.unit() != IntensityUnit.HOUNSFIELD && input.modality() != Modality.CT) {
            throw GeneratorInputs.error(request.contribution().id() + " needs a CT volume in HU; the input is "
                    + input.modality().dicomCode() + " in " + input.unit().symbol());
        }
        try {
            return project(request, input, monitor);
        } catch (IllegalArgumentException e) {
            throw GeneratorInputs.error(request.contribution().id() + ": " + e.getMessage());
        }
    }

    private static GenerationResult project(GenerationRequest request, MedicalImage<?> input,
            IProgressMonitor monitor) {
        ParameterValues p = request.parameters();
        double[] angles = ProjectionGeometry.gantryAngles(p.getString("views"));
        SubMonitor progress = SubMonitor.convert(monitor, angles.length + 1);
        Volume mu = AttenuationModel.atKvp(p.getDouble("kvp")).attenuation(PhysicsImages.volume(input));
        progress.split(1);
        int columns = p.getInt("detector-columns");
        int rows = p.getInt("detector-rows");
        double du = p.getDouble("column-spacing");
        double dv = p.getDouble("row-spacing");
        boolean cone = p.getString("geometry").equals("cone");
        XRayProjector.Method method = XRayProjector.Method.valueOf(p.getString("method").toUpperCase(Locale.ROOT));
        double photons = p.getDouble("photons");
        boolean intensity = p.getString("output").equals("intensity");
        Geometry detector = new Geometry(new double[] {du, dv},
                new double[] {-0.5 * (columns - 1) * du, -0.5 * (rows - 1) * dv}, Geometry.identity(2));
        List<NamedImage> images = new ArrayList<>();
        for (int v = 0; v < angles.length; v++) {
            ProjectionGeometry view = cone
                    ? ProjectionGeometry.cArm(p.getDouble("source-to-object"), p.getDouble("source-to-detector"),
                            columns, rows, du, dv, angles[v])
                    : ProjectionGeometry.parallel(columns, rows, du, dv, angles[v]);
            float[] lineIntegrals = XRayProjector.lineIntegrals(mu, view, method, p.getDouble("step"));
            float[] values;
            if (photons > 0) {
                // each view its own noise stream, derived from the run's seed
                float[] counts = BeerLambert.photonCounts(lineIntegrals, photons,
                        CountNoise.random(request.seed(), v).nextLong());
                values = intensity ? scaled(counts, 1 / photons) : BeerLambert.logTransform(counts, photons);
            } else {
                values = intensity ? BeerLambert.transmission(lineIntegrals) : lineIntegrals;
            }
            MedicalImage<FloatType> image = PhysicsImages.image(values, columns, rows, du, dv, Modality.DX,
                    IntensityUnit.OPACITY).withGeometry(detector);
            images.add(new NamedImage(String.format(Locale.ROOT, "drr-%02d", v), image));
            progress.split(1);
        }
        return GenerationResult.weightFree(images);
    }

    private static float[] scaled(float[] values, double factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (values[i] * factor);
        }
        return out;
    }
}
