package dev.rlx.engine.weights;

/** A model folder or weights file that cannot be used; the message names the file and, where known, the tensor. */
public class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
