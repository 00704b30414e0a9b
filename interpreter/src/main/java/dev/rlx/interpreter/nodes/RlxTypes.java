package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.dsl.ImplicitCast;
import com.oracle.truffle.api.dsl.TypeSystem;

/** ints widen to floats implicitly, so `1 + 0.5` needs no separate specialization. */
@TypeSystem({long.class, double.class, boolean.class, String.class})
public abstract class RlxTypes {
    @ImplicitCast
    public static double castDouble(long value) {
        return value;
    }
}
