package org.medsynth.io.dicom.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.medsynth.core.registry.ImageFormats;

class SmokeTest {
    @Test
    void readsJpeg2000InsideOsgi() throws Exception {
        var image = ImageFormats.get().read(Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/693_J2KI.dcm"));
        assertEquals(512, image.dimensions()[0]);
    }
}
