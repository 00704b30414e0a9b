package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import java.util.Objects;

/** Structural equality of values: what `==` means, and what tests compare. */
public final class Equality {
    private Equality() {}

    @TruffleBoundary
    public static boolean equal(Object a, Object b) {
        if (a instanceof Long x && b instanceof Double y) {
            return x.doubleValue() == y;
        }
        if (a instanceof Double x && b instanceof Long y) {
            return x == y.doubleValue();
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof RlxList x && b instanceof RlxList y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof RlxRecord x && b instanceof RlxRecord y) {
            if (x.size() != y.size() || !Objects.equals(x.tag(), y.tag())) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                Object other = y.get(x.key(i));
                if (other == null || !equal(x.value(i), other)) {
                    return false;
                }
            }
            return true;
        }
        return a == b || a.equals(b);
    }
}
