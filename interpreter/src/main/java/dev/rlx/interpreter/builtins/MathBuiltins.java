package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.tensor.TensorArgs;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.List;

/** Math on numbers. Integer results stay ints where the math allows (abs, min, max, floor, ceil, round). */
public final class MathBuiltins {
    private MathBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            MathBuiltinsFactory.AbsFactory.getInstance(), MathBuiltinsFactory.MinFactory.getInstance(),
            MathBuiltinsFactory.MaxFactory.getInstance(), MathBuiltinsFactory.ExpFactory.getInstance(),
            MathBuiltinsFactory.LogFactory.getInstance(), MathBuiltinsFactory.SqrtFactory.getInstance(),
            MathBuiltinsFactory.FloorFactory.getInstance(), MathBuiltinsFactory.CeilFactory.getInstance(),
            MathBuiltinsFactory.RoundFactory.getInstance(), MathBuiltinsFactory.ClampFactory.getInstance(),
            MathBuiltinsFactory.CosFactory.getInstance(), MathBuiltinsFactory.Log1pFactory.getInstance(),
            MathBuiltinsFactory.Expm1Factory.getInstance());

    @Builtin(value = "abs(x)", doc = "|x| (element-wise for tensors)")
    public abstract static class Abs extends BuiltinNode {
        @Specialization
        protected Object tensorAbs(TensorValue x) {
            return TensorArgs.wrap(x.tensor().abs());
        }

        @Specialization
        protected long abs(long x) {
            if (x == Long.MIN_VALUE) {
                throw error("integer overflow");
            }
            return Math.abs(x);
        }

        @Specialization
        protected double abs(double x) {
            return Math.abs(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    /**
     * Shared by min and max: either several numbers, or one list of numbers. With tensors: max(t) is the
     * largest element (a 0-d tensor; amax takes an axis), max(a, b) the element-wise maximum.
     */
    abstract static class Extremum extends BuiltinNode {
        @TruffleBoundary
        private Object tensors(RlxList values, boolean max) {
            boolean any = false;
            for (Object v : values.items()) {
                any |= v instanceof TensorValue;
            }
            if (!any) {
                return null;
            }
            if (values.size() == 1) {
                var t = ((TensorValue) values.get(0)).tensor();
                return TensorArgs.wrap(max ? t.max() : t.min());
            }
            if (values.size() != 2) {
                throw error("with tensors takes one tensor (its extreme element) or two values (element-wise)");
            }
            var a = TensorArgs.tensor(values.get(0), "a");
            var b = TensorArgs.tensor(values.get(1), "b");
            return TensorArgs.wrap(max ? a.maximum(b) : a.minimum(b));
        }

        protected final Object pick(RlxList values, boolean max) {
            Object tensorResult = tensors(values, max);
            if (tensorResult != null) {
                return tensorResult;
            }
            RlxList items = values.size() == 1 && values.get(0) instanceof RlxList inner ? inner : values;
            if (items.size() == 0) {
                throw error("needs at least one value");
            }
            Object best = null;
            double bestValue = 0;
            for (Object v : items.items()) {
                double d;
                if (v instanceof Long l) {
                    d = l;
                } else if (v instanceof Double x) {
                    d = x;
                } else {
                    throw error("expects numbers, got a " + Types.name(v));
                }
                if (best == null || (max ? d > bestValue : d < bestValue)) {
                    best = v;
                    bestValue = d;
                }
            }
            return best;
        }
    }

    @Builtin(value = "min(...values)", doc = "the smallest of several numbers, or of one list of numbers; min(t) is a tensor's smallest element, min(a, b) with a tensor is element-wise")
    public abstract static class Min extends Extremum {
        @Specialization
        protected Object min(RlxList values) {
            return pick(values, false);
        }
    }

    @Builtin(value = "max(...values)", doc = "the largest of several numbers, or of one list of numbers; max(t) is a tensor's largest element, max(a, b) with a tensor is element-wise")
    public abstract static class Max extends Extremum {
        @Specialization
        protected Object max(RlxList values) {
            return pick(values, true);
        }
    }

    @Builtin(value = "exp(x)", doc = "e to the power x (element-wise for tensors)")
    public abstract static class Exp extends BuiltinNode {
        @Specialization
        protected Object tensorExp(TensorValue x) {
            return TensorArgs.wrap(x.tensor().exp());
        }

        @Specialization
        protected double exp(double x) {
            return Math.exp(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "cos(x)", doc = "the cosine of x radians (numbers; for cosine length scaling)")
    public abstract static class Cos extends BuiltinNode {
        @Specialization
        protected double cos(double x) {
            return Math.cos(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "log(x)", doc = "natural logarithm; a number must be positive (tensors follow IEEE: log(0) = -inf)")
    public abstract static class Log extends BuiltinNode {
        @Specialization
        protected Object tensorLog(TensorValue x) {
            return TensorArgs.wrap(x.tensor().log());
        }

        @Specialization
        protected double log(double x) {
            if (x <= 0) {
                throw error("needs a positive number, got " + x);
            }
            return Math.log(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "log1p(x)", doc = "log(1 + x), exact for small |x| where 1 + x rounds; a number must exceed -1 (tensors: log1p(-1) = -inf)")
    public abstract static class Log1p extends BuiltinNode {
        @Specialization
        protected Object tensorLog1p(TensorValue x) {
            return TensorArgs.wrap(x.tensor().log1p());
        }

        @Specialization
        protected double log1p(double x) {
            if (x <= -1) {
                throw error("needs a number above -1, got " + x);
            }
            return Math.log1p(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "expm1(x)", doc = "exp(x) - 1, exact for small |x| where exp(x) rounds to 1 (element-wise for tensors)")
    public abstract static class Expm1 extends BuiltinNode {
        @Specialization
        protected Object tensorExpm1(TensorValue x) {
            return TensorArgs.wrap(x.tensor().expm1());
        }

        @Specialization
        protected double expm1(double x) {
            return Math.expm1(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "sqrt(x)", doc = "square root; x must not be negative")
    public abstract static class Sqrt extends BuiltinNode {
        @Specialization
        protected Object tensorSqrt(TensorValue x) {
            return TensorArgs.wrap(x.tensor().sqrt());
        }

        @Specialization
        protected double sqrt(double x) {
            if (x < 0) {
                throw error("needs a non-negative number, got " + x);
            }
            return Math.sqrt(x);
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    /** floor, ceil and round of a float give an int; of an int, the int itself. */
    abstract static class Rounding extends BuiltinNode {
        protected final long toLong(double x, double r) {
            if (Double.isNaN(r) || r >= 0x1p63 || r < -0x1p63) {
                throw error("cannot turn " + x + " into an int");
            }
            return (long) r;
        }
    }

    @Builtin(value = "floor(x)", doc = "the largest int not above x")
    public abstract static class Floor extends Rounding {
        @Specialization
        protected long integer(long x) {
            return x;
        }

        @Specialization
        protected long real(double x) {
            return toLong(x, Math.floor(x));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "ceil(x)", doc = "the smallest int not below x")
    public abstract static class Ceil extends Rounding {
        @Specialization
        protected long integer(long x) {
            return x;
        }

        @Specialization
        protected long real(double x) {
            return toLong(x, Math.ceil(x));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "round(x)", doc = "the nearest int; halves round to even (round(2.5) == 2), as in Python")
    public abstract static class Round extends Rounding {
        @Specialization
        protected long integer(long x) {
            return x;
        }

        @Specialization
        protected long real(double x) {
            return toLong(x, Math.rint(x));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "clamp(x, lo = none, hi = none)", doc = "x limited to [lo, hi]; for tensors either bound may be none (unbounded)")
    public abstract static class Clamp extends BuiltinNode {
        @Specialization
        protected Object tensor(TensorValue x, Object lo, Object hi) {
            return TensorArgs.wrap(x.tensor().clamp(
                    TensorArgs.optionalNumber(lo, "lo"),
                    TensorArgs.optionalNumber(hi, "hi")));
        }

        @Specialization
        protected long clamp(long x, long lo, long hi) {
            check(lo, hi);
            return Math.max(lo, Math.min(hi, x));
        }

        @Specialization
        protected double clamp(double x, double lo, double hi) {
            check(lo, hi);
            return Math.max(lo, Math.min(hi, x));
        }

        private void check(double lo, double hi) {
            if (lo > hi) {
                throw error("lo (" + lo + ") is greater than hi (" + hi + ")");
            }
        }

        @Fallback
        protected Object error(Object x, Object lo, Object hi) {
            throw typeError(x, lo, hi);
        }
    }
}
