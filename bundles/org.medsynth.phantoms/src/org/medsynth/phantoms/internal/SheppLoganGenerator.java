package org.medsynth.phantoms.internal;

import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.data.phantom.Phantoms;

/** Modified Shepp–Logan phantom, 2D or 3D. */
public final class SheppLoganGenerator extends PhantomGenerator {
    @Override
    MedicalImage<FloatType> phantom(ParameterValues p) {
        int size = p.getInt("size");
        double spacing = p.getDouble("spacing");
        int supersampling = p.getInt("supersampling");
        return p.getString("dimensions").equals("3") ? Phantoms.sheppLogan3d(size, spacing, supersampling)
                : Phantoms.sheppLogan2d(size, spacing, supersampling);
    }

    @Override
    double noiseSigma(ParameterValues p) {
        return p.getDouble("noise-sigma");
    }

    @Override
    String baseName(ParameterValues p) {
        return "shepp-logan-" + p.getString("dimensions") + "d";
    }
}
