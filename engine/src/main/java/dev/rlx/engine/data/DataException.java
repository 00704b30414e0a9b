package dev.rlx.engine.data;

/** A dataset that cannot be built or read: a malformed JSONL line, a missing field, a bad task option. */
public final class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }
}
