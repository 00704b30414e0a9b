package dev.rlx.interpreter.runtime;

import dev.rlx.interpreter.ast.Ast.BinaryOp;

/**
 * A value type that defines its own operators (tensors). Arithmetic nodes hand any operation with
 * such an operand to it, in either position; a null result means "not supported".
 */
public interface OperatorValue {
    /** {@code this op other} when {@code thisIsLeft}, else {@code other op this}. */
    Object binary(BinaryOp op, Object other, boolean thisIsLeft);

    /** Unary minus. */
    Object negate();
}
