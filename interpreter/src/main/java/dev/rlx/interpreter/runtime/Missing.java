package dev.rlx.interpreter.runtime;

/** Marks a parameter the caller did not pass; the callee's prologue substitutes the default. Never a value. */
public final class Missing {
    public static final Missing INSTANCE = new Missing();

    private Missing() {}
}
