package dev.rlx.interpreter.runtime;

/** An engine value that supports `x[i]` and `x[a:b]` (tensors). */
public interface IndexableValue {
    Object index(Object index);

    /** {@code from}/{@code to} are null when omitted. */
    Object slice(Long from, Long to);
}
