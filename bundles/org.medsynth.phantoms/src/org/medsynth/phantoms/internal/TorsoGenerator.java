package org.medsynth.phantoms.internal;

import net.imglib2.type.numeric.real.FloatType;

import org.medsynth.core.api.ParameterValues;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.data.phantom.TorsoPhantom;

/** CT torso in HU, volume or the axial slice through the heart. */
public final class TorsoGenerator extends PhantomGenerator {
    @Override
    MedicalImage<FloatType> phantom(ParameterValues p) {
        double height = p.getDouble("height");
        TorsoPhantom torso = new TorsoPhantom(-height / 2, height / 2);
        int size = p.getInt("size");
        double pixel = p.getDouble("field-of-view") / size;
        int supersampling = p.getInt("supersampling");
        if (p.getString("dimensions").equals("3")) {
            return torso.rasterise(size, p.getInt("slices"), pixel, supersampling);
        }
        return torso.axialSlice(size, pixel, torso.heartCentreZ(), supersampling);
    }

    @Override
    double noiseSigma(ParameterValues p) {
        return p.getDouble("noise-hu");
    }

    @Override
    String baseName(ParameterValues p) {
        return p.getString("dimensions").equals("3") ? "torso-3d" : "torso-axial";
    }
}
