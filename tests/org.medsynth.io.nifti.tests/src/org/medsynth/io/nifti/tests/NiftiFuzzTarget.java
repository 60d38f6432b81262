package org.medsynth.io.nifti.tests;

import org.medsynth.io.nifti.internal.NiftiFormat;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer target: the NIfTI reader, gzipped inputs (by their magic bytes) as {@code .nii.gz}, others as {@code .nii}. */
public final class NiftiFuzzTarget {
    private static final NiftiFormat FORMAT = new NiftiFormat();

    private NiftiFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        boolean gzipped = input.length > 1 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b;
        ReaderFuzzing.readAsFile(input, gzipped ? ".nii.gz" : ".nii", FORMAT::read);
    }
}
