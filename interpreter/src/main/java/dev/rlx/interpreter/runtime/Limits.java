package dev.rlx.interpreter.runtime;

/**
 * Sizes a script may build, checked before allocating: past these a script is almost certainly a mistake
 * (range(1e12), a string doubled in a loop) or hostile, and the JVM would die out of memory instead of
 * reporting where. Tensors have their own cap in the engine (2^30 elements each).
 */
public final class Limits {
    private Limits() {}

    /** Items in one list. */
    public static final long MAX_LIST = 100_000_000L;

    /** Characters in one string (200 MB as UTF-16). */
    public static final long MAX_STRING = 100_000_000L;
}
