package dev.rlx.interpreter.runtime;

/**
 * An opaque value that lives in the engine (a tensor, a model, a dataset, a tokenizer). The
 * interpreter only passes it around; builtins unwrap it.
 */
public interface EngineValue {
    /** The name shown in errors and by `:type`, e.g. "tensor" or "model". */
    String typeName();

    /** How the REPL shows it. */
    String display();

    /** JSON for `rlx eval --json`; null when it has no JSON form (then its display string is used). */
    default String toJson() {
        return null;
    }
}
