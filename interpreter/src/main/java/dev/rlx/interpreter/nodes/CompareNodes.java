package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.ast.Ast.BinaryOp;
import dev.rlx.interpreter.runtime.Equality;

/**
 * Ordering compares numbers with numbers and strings with strings; `==`/`!=` compare any two values
 * structurally (1 == 1.0; lists and records element by element; values of different types are unequal).
 */
public final class CompareNodes {
    private CompareNodes() {}

    /** One class for `< <= > >=`: the op picks the test after a three-way comparison. */
    public abstract static class OrderNode extends BinaryNode {
        private final BinaryOp op;

        protected OrderNode(BinaryOp op) {
            this.op = op;
        }

        @Override
        protected BinaryOp op() {
            return op;
        }

        private boolean test(int cmp) {
            return switch (op) {
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                default -> cmp >= 0;
            };
        }

        @Specialization
        protected boolean compare(long a, long b) {
            return test(Long.compare(a, b));
        }

        @Specialization
        protected boolean compare(double a, double b) {
            // NaN compares false both ways, as IEEE says, not via Double.compare's total order
            return switch (op) {
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                default -> a >= b;
            };
        }

        @Specialization
        @TruffleBoundary
        protected boolean compare(String a, String b) {
            return test(a.compareTo(b));
        }

        @Specialization(guards = "isOperatorValue(a, b)")
        protected Object operators(Object a, Object b) {
            return operatorValue(a, b);
        }

        @Fallback
        protected Object error(Object a, Object b) {
            throw typeError(a, b);
        }
    }

    public abstract static class EqualNode extends BinaryNode {
        private final boolean negate;

        protected EqualNode(boolean negate) {
            this.negate = negate;
        }

        @Override
        protected BinaryOp op() {
            return negate ? BinaryOp.NE : BinaryOp.EQ;
        }

        @Specialization
        protected boolean equal(long a, long b) {
            return (a == b) != negate;
        }

        @Specialization
        protected boolean equal(double a, double b) {
            return (a == b) != negate;
        }

        @Specialization
        protected boolean equal(boolean a, boolean b) {
            return (a == b) != negate;
        }

        @Specialization
        @TruffleBoundary
        protected boolean equal(String a, String b) {
            return a.equals(b) != negate;
        }

        @Specialization(guards = "isOperatorValue(a, b)")
        protected Object operators(Object a, Object b) {
            return operatorValue(a, b);
        }

        @Fallback
        protected boolean equal(Object a, Object b) {
            return Equality.equal(a, b) != negate;
        }
    }
}
