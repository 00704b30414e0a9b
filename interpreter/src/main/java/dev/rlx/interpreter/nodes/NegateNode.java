package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeChild;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.tensor.TensorException;
import dev.rlx.interpreter.runtime.OperatorValue;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxReward;

/** Unary minus. */
@NodeChild("operand")
public abstract class NegateNode extends RlxNode {
    @Specialization
    protected long negate(long a) {
        if (a == Long.MIN_VALUE) {
            throw new RlxException("integer overflow in '-'", this);
        }
        return -a;
    }

    @Specialization
    protected double negate(double a) {
        return -a;
    }

    @Specialization
    protected RlxReward negate(RlxReward a) {
        return a.scale(-1.0);
    }

    @Specialization
    @TruffleBoundary
    protected Object negate(OperatorValue a) {
        try {
            return a.negate();
        } catch (TensorException e) {
            throw new RlxException("'-': " + e.getMessage(), this);
        }
    }

    @Fallback
    protected Object error(Object a) {
        throw RlxException.typeError(this, "-", a);
    }
}
