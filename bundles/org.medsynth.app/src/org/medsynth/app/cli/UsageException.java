package org.medsynth.app.cli;

/** A command line that cannot be carried out as written; its message is shown as one line, with exit code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
