package org.medsynth.io.nifti.internal;

import java.nio.file.Path;
import java.util.Map;

import org.medsynth.core.api.ImageFormatException;

/** The NIfTI datatypes MedSynth reads and writes, by their header code. */
enum NiftiDataType {
    UINT8(2, 1), INT16(4, 2), INT32(8, 4), FLOAT32(16, 4), FLOAT64(64, 8), INT8(256, 1), UINT16(512, 2),
    UINT32(768, 4);

    /** Codes the standard defines that have no scalar real pixel type in MedSynth. */
    private static final Map<Integer, String> UNSUPPORTED = Map.of(1, "binary (1 bit)", 32, "complex64", 128, "RGB24",
            1024, "int64", 1280, "uint64", 1536, "float128", 1792, "complex128", 2048, "complex256", 2304, "RGBA32");

    final int code;
    final int bytes;

    NiftiDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    static NiftiDataType fromCode(Path file, int code) throws ImageFormatException {
        for (NiftiDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        String name = UNSUPPORTED.get(code);
        throw new ImageFormatException(file, name == null ? "datatype code " + code + " is not a NIfTI datatype"
                : "NIfTI datatype " + name + " (code " + code + ") is not supported; MedSynth reads uint8, int8, "
                        + "int16, uint16, int32, uint32, float32 and float64");
    }
}
