package org.medsynth.io.basic.tests;

import org.medsynth.io.basic.internal.MetaImageFormat;
import org.medsynth.io.basic.internal.PngFormat;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer target: inputs with the PNG signature go to the PNG reader as {@code .png}, all others to MetaImage as {@code .mha}. */
public final class MetaImageAndPngFuzzTarget {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};
    private static final MetaImageFormat META_IMAGE = new MetaImageFormat();
    private static final PngFormat PNG = new PngFormat();

    private MetaImageAndPngFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        if (java.util.Arrays.equals(input, 0, Math.min(input.length, 4), PNG_SIGNATURE, 0, 4)) {
            ReaderFuzzing.readAsFile(input, ".png", PNG::read);
        } else {
            ReaderFuzzing.readAsFile(input, ".mha", META_IMAGE::read);
        }
    }
}
