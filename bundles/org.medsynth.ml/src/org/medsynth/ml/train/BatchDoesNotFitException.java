package org.medsynth.ml.train;

import java.io.IOException;

/** A training step needs more memory than the device has or the memory budget allows. */
public final class BatchDoesNotFitException extends IOException {
    private static final long serialVersionUID = 1L;

    public BatchDoesNotFitException(String message, Throwable cause) {
        super(message, cause);
    }
}
