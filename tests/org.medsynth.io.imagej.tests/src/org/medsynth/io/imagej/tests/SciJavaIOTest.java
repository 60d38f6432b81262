package org.medsynth.io.imagej.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import net.imglib2.img.array.ArrayImgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsynth.core.image.Geometry;
import org.medsynth.core.image.IntensityUnit;
import org.medsynth.core.image.MedicalImage;
import org.medsynth.core.image.Modality;
import org.medsynth.io.imagej.scijava.MedSynthImageIOPlugin;
import org.medsynth.io.imagej.scijava.SciJavaContexts;
import org.scijava.Context;
import org.scijava.io.IOService;
import org.scijava.io.location.FileLocation;

class SciJavaIOTest {
    @TempDir
    Path dir;

    @Test
    void ioServiceInsideOsgiOpensAndSavesThroughMedSynthFormats() throws Exception {
        Context context = SciJavaContexts.withImageIO();
        try {
            IOService io = context.service(IOService.class);
            MedicalImage<?> image = MedicalImage.of(ArrayImgs.floats(new float[] {1, 2, 3, 4, 5, 6}, 3, 2),
                    new Geometry(new double[] {0.5, 2}, new double[] {0, 0}, Geometry.identity(2)), Modality.MR,
                    IntensityUnit.ARBITRARY);
            Path tiff = dir.resolve("saved.tif");
            io.save(image, tiff.toString());
            assertInstanceOf(MedSynthImageIOPlugin.class, io.getOpener(new FileLocation(tiff.toFile())));
            Object opened = io.open(tiff.toString());
            MedicalImage<?> read = assertInstanceOf(MedicalImage.class, opened);
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, ReferenceFiles.values(read));
            assertEquals(image.geometry(), read.geometry());
            assertEquals(Modality.MR, read.modality());

            // the JPEG format, found through the same registry
            MedicalImage<?> jpeg = assertInstanceOf(MedicalImage.class,
                    io.open(ReferenceFiles.copy("pillow_grey.jpg", dir).toString()));
            assertArrayEquals(new long[] {32, 24}, jpeg.dimensions());

            Path unknown = dir.resolve("notes.xyz");
            Files.writeString(unknown, "text");
            assertNull(io.getOpener(new FileLocation(unknown.toFile())));
            Path cut = dir.resolve("cut.tif");
            Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(tiff), 300));
            IOException e = assertThrows(IOException.class, () -> io.open(cut.toString()));
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        } finally {
            context.dispose();
        }
    }
}
