package dev.rlx.interpreter.runtime;

/** The value `none`: absence (a failed `to_int`, an omitted optional argument). */
public final class RlxNone {
    public static final RlxNone INSTANCE = new RlxNone();

    private RlxNone() {}

    @Override
    public String toString() {
        return "none";
    }
}
