package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.NodeChild;
import dev.rlx.engine.tensor.TensorException;
import dev.rlx.interpreter.ast.Ast.BinaryOp;
import dev.rlx.interpreter.runtime.OperatorValue;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxReward;

/**
 * Base of the arithmetic and comparison nodes. Ints are 64-bit and overflow is an error (never a
 * silent wrap); `/` always gives a float; `%` is floored like Python's.
 */
@NodeChild("left")
@NodeChild("right")
public abstract class BinaryNode extends RlxNode {
    protected abstract BinaryOp op();

    protected static boolean isOperatorValue(Object a, Object b) {
        return a instanceof OperatorValue || b instanceof OperatorValue;
    }

    protected static boolean isRewardAlgebra(Object a, Object b) {
        return a instanceof RlxReward && (b instanceof RlxReward || b instanceof RlxFunction)
                || b instanceof RlxReward && a instanceof RlxFunction;
    }

    @TruffleBoundary
    protected final Object operatorValue(Object a, Object b) {
        Object result;
        try {
            result = a instanceof OperatorValue ov ? ov.binary(op(), b, true) : null;
            if (result == null && b instanceof OperatorValue ov) {
                result = ov.binary(op(), a, false);
            }
        } catch (TensorException e) {
            throw new RlxException("'" + op().symbol + "': " + e.getMessage(), this);
        }
        if (result == null) {
            throw RlxException.typeError(this, op().symbol, a, b);
        }
        return result;
    }

    /** A plain function in a reward sum takes its own name, like a `reward` declaration would. */
    protected static RlxReward asReward(Object v) {
        return v instanceof RlxReward r ? r : RlxReward.named(((RlxFunction) v).name(), (RlxFunction) v);
    }

    /** A result past one of {@link dev.rlx.interpreter.runtime.Limits}. */
    protected final RlxException tooLarge(String what, long limit) {
        return new RlxException("'" + op().symbol + "' would make " + what + "; the limit is " + limit,
                "build it in smaller pieces, or check the loop that grows it", this);
    }

    protected final RlxException overflow() {
        return new RlxException("integer overflow in '" + op().symbol + "'",
                "ints are 64-bit; use floats (e.g. 1.0 * x) for larger values", this);
    }

    protected final RlxException typeError(Object a, Object b) {
        return RlxException.typeError(this, op().symbol, a, b);
    }
}
