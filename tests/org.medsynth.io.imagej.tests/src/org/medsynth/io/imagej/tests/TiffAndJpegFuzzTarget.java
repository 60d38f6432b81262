package org.medsynth.io.imagej.tests;

import org.medsynth.io.imagej.internal.JpegFormat;
import org.medsynth.io.imagej.internal.TiffFormat;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer target: inputs that start like JPEG (FF D8) go to the JPEG reader as {@code .jpg}, all others to TIFF as {@code .tif}. */
public final class TiffAndJpegFuzzTarget {
    private static final TiffFormat TIFF = new TiffFormat();
    private static final JpegFormat JPEG = new JpegFormat();

    private TiffAndJpegFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        if (input.length > 1 && (input[0] & 0xff) == 0xff && (input[1] & 0xff) == 0xd8) {
            ReaderFuzzing.readAsFile(input, ".jpg", JPEG::read);
        } else {
            ReaderFuzzing.readAsFile(input, ".tif", TIFF::read);
        }
    }
}
