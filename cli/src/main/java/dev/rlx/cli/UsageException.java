package dev.rlx.cli;

/** A command line rlx cannot make sense of: reported with the usage text and exit code 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
