package dev.rlx.engine.tensor;

/**
 * A tensor operation was given values it cannot work with (shapes that do not broadcast, an axis out of
 * range, a ragged list...). Unchecked: the interpreter catches it and prefixes the .rlx location, so the
 * message names the operation and the offending shapes but never a source position.
 */
public final class TensorException extends RuntimeException {
    public TensorException(String message) {
        super(message);
    }

    public TensorException(String message, Throwable cause) {
        super(message, cause);
    }
}
