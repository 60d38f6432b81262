package org.medsynth.physics.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.data.phantom.Phantoms;
import org.medsynth.physics.PhysicsImages;
import org.medsynth.physics.ProjectionGeometry;
import org.medsynth.physics.Volume;
import org.medsynth.physics.XRayProjector;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

class PhysicsImagesTest {

    @Test
    void imageVolumeKeepsVoxelOrderAndSpacingAndDrrComesBackAsAnImage() {
        MedicalImage<FloatType> phantom = Phantoms.sheppLogan3d(24, 2.5, 1);
        Volume volume = PhysicsImages.volume(phantom);
        assertArrayEquals(Phantoms.data(phantom), volume.data());
        assertEquals(2.5, volume.sy(), 0);
        ProjectionGeometry view = ProjectionGeometry.parallel(20, 16, 3, 3, 0);
        float[] drr = XRayProjector.lineIntegrals(volume, view, XRayProjector.Method.SIDDON, 0);
        MedicalImage<FloatType> image = PhysicsImages.image(drr, 20, 16, 3, 3, Modality.DX, IntensityUnit.ARBITRARY);
        assertArrayEquals(new long[] {20, 16}, image.dimensions());
        RandomAccess<FloatType> access = image.pixels().randomAccess();
        access.setPosition(new long[] {5, 7});
        assertEquals(drr[5 + 20 * 7], access.get().get(), 0);
    }
}
