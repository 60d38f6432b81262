package org.medsynth.io.dicom.tests;

import org.medsynth.io.dicom.DicomReader;
import org.medsynth.tests.fuzz.ReaderFuzzing;

/** Jazzer target: the DICOM reader on one object. */
public final class DicomFuzzTarget {
    private DicomFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] input) throws Exception {
        ReaderFuzzing.readAsFile(input, ".dcm", DicomReader::read);
    }
}
