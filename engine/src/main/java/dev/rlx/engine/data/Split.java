package dev.rlx.engine.data;

import java.util.Locale;

/**
 * Which side of a synthetic task a problem is on. The split is a fixed function of the problem itself:
 * a stable hash of the task name and the problem's canonical key (operands in sorted order for + and *,
 * the sorted sequence for sorting, the sorted numbers and target for countdown) puts one problem in ten
 * on the test side. No seed enters, so train and test sets drawn with any seeds and sizes never share a
 * problem, and two problems that differ only by commuting operands are on the same side.
 */
public enum Split {
    TRAIN, TEST;

    /** One problem in {@code TEST_MODULUS} is a test problem. */
    static final int TEST_MODULUS = 10;

    public static Split of(String task, String canonicalKey) {
        long h = SeededRandom.hash(task + ":" + canonicalKey);
        return Long.remainderUnsigned(h, TEST_MODULUS) == 0 ? TEST : TRAIN;
    }

    public static Split parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "train" -> TRAIN;
            case "test" -> TEST;
            default -> throw new DataException("split must be \"train\" or \"test\", not \"" + name + "\"");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
