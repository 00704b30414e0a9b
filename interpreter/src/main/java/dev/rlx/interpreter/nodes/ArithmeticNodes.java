package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.ast.Ast.BinaryOp;
import dev.rlx.interpreter.runtime.Limits;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxReward;

/** `+ - * / % **` with typed specializations; anything else is a type error naming both operand types. */
public final class ArithmeticNodes {
    private ArithmeticNodes() {}

    public abstract static class AddNode extends BinaryNode {
        @Override
        protected BinaryOp op() {
            return BinaryOp.ADD;
        }

        @Specialization
        protected long add(long a, long b) {
            try {
                return Math.addExact(a, b);
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }

        @Specialization
        protected double add(double a, double b) {
            return a + b;
        }

        @Specialization
        @TruffleBoundary
        protected String add(String a, String b) {
            if ((long) a.length() + b.length() > Limits.MAX_STRING) {
                throw tooLarge("a string of " + ((long) a.length() + b.length()) + " characters", Limits.MAX_STRING);
            }
            return a.concat(b);
        }

        @Specialization
        @TruffleBoundary
        protected RlxList add(RlxList a, RlxList b) {
            if ((long) a.size() + b.size() > Limits.MAX_LIST) {
                throw tooLarge("a list of " + ((long) a.size() + b.size()) + " items", Limits.MAX_LIST);
            }
            Object[] items = new Object[a.size() + b.size()];
            System.arraycopy(a.items(), 0, items, 0, a.size());
            System.arraycopy(b.items(), 0, items, a.size(), b.size());
            return new RlxList(items);
        }

        @Specialization(guards = "isRewardAlgebra(a, b)")
        protected RlxReward rewards(Object a, Object b) {
            return asReward(a).plus(asReward(b));
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

    public abstract static class SubNode extends BinaryNode {
        @Override
        protected BinaryOp op() {
            return BinaryOp.SUB;
        }

        @Specialization
        protected long sub(long a, long b) {
            try {
                return Math.subtractExact(a, b);
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }

        @Specialization
        protected double sub(double a, double b) {
            return a - b;
        }

        @Specialization(guards = "isRewardAlgebra(a, b)")
        protected RlxReward rewards(Object a, Object b) {
            return asReward(a).plus(asReward(b).scale(-1.0));
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

    public abstract static class MulNode extends BinaryNode {
        @Override
        protected BinaryOp op() {
            return BinaryOp.MUL;
        }

        @Specialization
        protected long mul(long a, long b) {
            try {
                return Math.multiplyExact(a, b);
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }

        @Specialization
        protected double mul(double a, double b) {
            return a * b;
        }

        @Specialization
        protected RlxReward scale(double a, RlxReward b) {
            return b.scale(a);
        }

        @Specialization
        protected RlxReward scale(RlxReward a, double b) {
            return a.scale(b);
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

    public abstract static class DivNode extends BinaryNode {
        @Override
        protected BinaryOp op() {
            return BinaryOp.DIV;
        }

        @Specialization
        protected double div(double a, double b) {
            if (b == 0.0) {
                throw new RlxException("division by zero", this);
            }
            return a / b;
        }

        @Specialization
        protected RlxReward scale(RlxReward a, double b) {
            if (b == 0.0) {
                throw new RlxException("division by zero", this);
            }
            return a.scale(1.0 / b);
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

    public abstract static class ModNode extends BinaryNode {
        @Override
        protected BinaryOp op() {
            return BinaryOp.MOD;
        }

        @Specialization
        protected long mod(long a, long b) {
            if (b == 0) {
                throw new RlxException("modulo by zero", this);
            }
            return Math.floorMod(a, b);
        }

        @Specialization
        protected double mod(double a, double b) {
            if (b == 0.0) {
                throw new RlxException("modulo by zero", this);
            }
            return a - Math.floor(a / b) * b;
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

    public abstract static class PowNode extends BinaryNode {
        @Override
        protected BinaryOp op() {
            return BinaryOp.POW;
        }

        @Specialization(guards = "b >= 0")
        protected long pow(long a, long b) {
            long result = 1;
            long base = a;
            long e = b;
            try {
                while (e > 0) {
                    if ((e & 1) == 1) {
                        result = Math.multiplyExact(result, base);
                    }
                    e >>= 1;
                    if (e > 0) {
                        base = Math.multiplyExact(base, base);
                    }
                }
            } catch (ArithmeticException ex) {
                throw overflow();
            }
            return result;
        }

        @Specialization
        protected double pow(double a, double b) {
            return Math.pow(a, b);
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
}
