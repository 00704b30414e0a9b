package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.tensor.DType;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.tensor.TensorArgs;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.List;

import static dev.rlx.interpreter.tensor.TensorArgs.axis;
import static dev.rlx.interpreter.tensor.TensorArgs.dtype;
import static dev.rlx.interpreter.tensor.TensorArgs.intArg;
import static dev.rlx.interpreter.tensor.TensorArgs.isNone;
import static dev.rlx.interpreter.tensor.TensorArgs.number;
import static dev.rlx.interpreter.tensor.TensorArgs.shape;
import static dev.rlx.interpreter.tensor.TensorArgs.tensor;
import static dev.rlx.interpreter.tensor.TensorArgs.tensors;
import static dev.rlx.interpreter.tensor.TensorArgs.wrap;

/** Making tensors, their shape, indexing and joining. Math and reductions are in TensorMathBuiltins. */
public final class TensorBuiltins {
    private TensorBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            TensorBuiltinsFactory.MakeTensorFactory.getInstance(), TensorBuiltinsFactory.ZerosFactory.getInstance(),
            TensorBuiltinsFactory.OnesFactory.getInstance(), TensorBuiltinsFactory.FullFactory.getInstance(),
            TensorBuiltinsFactory.ZerosLikeFactory.getInstance(), TensorBuiltinsFactory.OnesLikeFactory.getInstance(),
            TensorBuiltinsFactory.ArangeFactory.getInstance(), TensorBuiltinsFactory.ShapeFactory.getInstance(),
            TensorBuiltinsFactory.ReshapeFactory.getInstance(), TensorBuiltinsFactory.TransposeFactory.getInstance(),
            TensorBuiltinsFactory.ExpandDimsFactory.getInstance(), TensorBuiltinsFactory.GatherFactory.getInstance(),
            TensorBuiltinsFactory.CumsumFactory.getInstance(), TensorBuiltinsFactory.FlipFactory.getInstance(),
            TensorBuiltinsFactory.ConcatFactory.getInstance(), TensorBuiltinsFactory.StackFactory.getInstance(),
            TensorBuiltinsFactory.WhereFactory.getInstance(), TensorBuiltinsFactory.AstypeFactory.getInstance(),
            TensorBuiltinsFactory.ItemFactory.getInstance(), TensorBuiltinsFactory.ToListFactory.getInstance());

    @Builtin(value = "tensor(values, dtype = none)",
            doc = "a tensor from a number or nested lists; float32 unless every value is a bool (then bool), or dtype says \"float64\", \"int64\", \"bool\"")
    public abstract static class MakeTensor extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object make(Object values, Object dtype) {
            DType t = dtype(dtype);
            if (values instanceof TensorValue v) {
                return t == null ? v : wrap(v.tensor().toType(t));
            }
            if (!(values instanceof RlxList || values instanceof Long || values instanceof Double || values instanceof Boolean)) {
                throw typeError(values, dtype);
            }
            return wrap(Tensors.of(TensorArgs.toJava(values), t));
        }
    }

    @Builtin(value = "zeros(shape, dtype = \"float32\")", doc = "a tensor of zeros; shape is an int or a list of ints")
    public abstract static class Zeros extends BuiltinNode {
        @Specialization
        protected Object zeros(Object shape, Object dtype) {
            return wrap(Tensors.full(shape(shape), 0.0, dtype(dtype)));
        }
    }

    @Builtin(value = "ones(shape, dtype = \"float32\")", doc = "a tensor of ones; shape is an int or a list of ints")
    public abstract static class Ones extends BuiltinNode {
        @Specialization
        protected Object ones(Object shape, Object dtype) {
            return wrap(Tensors.full(shape(shape), 1.0, dtype(dtype)));
        }
    }

    @Builtin(value = "full(shape, value, dtype = \"float32\")", doc = "a tensor with every element equal to value")
    public abstract static class Full extends BuiltinNode {
        @Specialization
        protected Object full(Object shape, Object value, Object dtype) {
            return wrap(Tensors.full(shape(shape), number(value, "value"), dtype(dtype)));
        }
    }

    @Builtin(value = "zeros_like(x)", doc = "zeros with x's shape and dtype")
    public abstract static class ZerosLike extends BuiltinNode {
        @Specialization
        protected Object zeros(TensorValue x) {
            return wrap(Tensors.full(x.tensor().shape(), 0.0, x.tensor().dtype()));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "ones_like(x)", doc = "ones with x's shape and dtype")
    public abstract static class OnesLike extends BuiltinNode {
        @Specialization
        protected Object ones(TensorValue x) {
            return wrap(Tensors.full(x.tensor().shape(), 1.0, x.tensor().dtype()));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "arange(start, stop = none, step = 1, dtype = \"float32\")",
            doc = "start, start+step, ... below stop; arange(n) is 0 .. n-1")
    public abstract static class Arange extends BuiltinNode {
        @Specialization
        protected Object arange(Object start, Object stop, Object step, Object dtype) {
            double a = isNone(stop) ? 0 : number(start, "start");
            double b = isNone(stop) ? number(start, "start") : number(stop, "stop");
            return wrap(Tensors.arange(a, b, number(step, "step"), dtype(dtype)));
        }
    }

    @Builtin(value = "shape(x)", doc = "the shape of a tensor as a list of ints (also x.shape)")
    public abstract static class Shape extends BuiltinNode {
        @Specialization
        protected Object shape(TensorValue x) {
            return x.member("shape");
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "reshape(x, shape)", doc = "the same elements in a new shape; one dimension may be -1 (inferred)")
    public abstract static class Reshape extends BuiltinNode {
        @Specialization
        protected Object reshape(TensorValue x, Object shape) {
            return wrap(x.tensor().reshape(shape(shape)));
        }

        @Fallback
        protected Object error(Object x, Object shape) {
            throw typeError(x, shape);
        }
    }

    @Builtin(value = "transpose(x, axes = none)", doc = "permutes the axes; by default reverses them (the matrix transpose)")
    public abstract static class Transpose extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object transpose(TensorValue x, Object axes) {
            if (isNone(axes)) {
                return wrap(x.tensor().transpose());
            }
            long[] p = shape(axes);
            int[] perm = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                perm[i] = Math.toIntExact(p[i]);
            }
            return wrap(x.tensor().transpose(perm));
        }

        @Fallback
        protected Object error(Object x, Object axes) {
            throw typeError(x, axes);
        }
    }

    @Builtin(value = "expand_dims(x, axis)", doc = "adds an axis of size 1 at axis")
    public abstract static class ExpandDims extends BuiltinNode {
        @Specialization
        protected Object expand(TensorValue x, Object axis) {
            return wrap(x.tensor().expandDims(intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object x, Object axis) {
            throw typeError(x, axis);
        }
    }

    @Builtin(value = "gather(x, index, axis = -1)",
            doc = "torch.gather: out[i][j] = x[i][index[i][j]] along axis (e.g. the log-prob of each chosen token)")
    public abstract static class Gather extends BuiltinNode {
        @Specialization
        protected Object gather(TensorValue x, Object index, Object axis) {
            return wrap(x.tensor().gather(intArg(axis, "axis"), tensor(index, "index")));
        }

        @Fallback
        protected Object error(Object x, Object index, Object axis) {
            throw typeError(x, index, axis);
        }
    }

    @Builtin(value = "cumsum(x, axis = -1)", doc = "running sum along axis")
    public abstract static class Cumsum extends BuiltinNode {
        @Specialization
        protected Object cumsum(TensorValue x, Object axis) {
            return wrap(x.tensor().cumsum(intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object x, Object axis) {
            throw typeError(x, axis);
        }
    }

    @Builtin(value = "flip(x, axis = -1)", doc = "reverses the order along axis")
    public abstract static class Flip extends BuiltinNode {
        @Specialization
        protected Object flip(TensorValue x, Object axis) {
            return wrap(x.tensor().flip(intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object x, Object axis) {
            throw typeError(x, axis);
        }
    }

    @Builtin(value = "concat(items, axis = 0)", doc = "joins a list of tensors along an existing axis")
    public abstract static class Concat extends BuiltinNode {
        @Specialization
        protected Object concat(RlxList items, Object axis) {
            return wrap(Tensors.concat(tensors(items), intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object items, Object axis) {
            throw typeError(items, axis);
        }
    }

    @Builtin(value = "stack(items, axis = 0)", doc = "joins a list of same-shaped tensors along a new axis")
    public abstract static class Stack extends BuiltinNode {
        @Specialization
        protected Object stack(RlxList items, Object axis) {
            return wrap(Tensors.stack(tensors(items), intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object items, Object axis) {
            throw typeError(items, axis);
        }
    }

    @Builtin(value = "where(cond, a, b)", doc = "element-wise: a where cond (a bool tensor) is true, else b; broadcasts, a and b may be numbers")
    public abstract static class Where extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object where(TensorValue cond, Object a, Object b) {
            Tensor c = cond.tensor();
            if (a instanceof TensorValue x && b instanceof TensorValue y) {
                return wrap(Tensors.where(c, x.tensor(), y.tensor()));
            }
            if (a instanceof TensorValue x) {
                return wrap(Tensors.where(c, x.tensor(), number(b, "b")));
            }
            if (b instanceof TensorValue y) {
                return wrap(Tensors.where(c, number(a, "a"), y.tensor()));
            }
            Tensor x = Tensors.full(c.shape(), number(a, "a"));
            return wrap(Tensors.where(c, x, number(b, "b")));
        }

        @Fallback
        protected Object error(Object cond, Object a, Object b) {
            throw typeError(cond, a, b);
        }
    }

    @Builtin(value = "astype(x, dtype)", doc = "x converted to dtype (\"float32\", \"float64\", \"int64\", \"bool\")")
    public abstract static class Astype extends BuiltinNode {
        @Specialization
        protected Object astype(TensorValue x, String dtype) {
            return wrap(x.tensor().toType(DType.parse(dtype)));
        }

        @Fallback
        protected Object error(Object x, Object dtype) {
            throw typeError(x, dtype);
        }
    }

    @Builtin(value = "item(x)", doc = "the only element of a tensor as a number (a float; an int for int64, a bool for bool)")
    public abstract static class Item extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object item(TensorValue x) {
            Tensor t = x.tensor();
            return switch (t.dtype()) {
                case INT64 -> t.itemLong();
                case BOOL -> t.itemBoolean();
                default -> t.item();
            };
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "to_list(x)", doc = "the elements of a tensor as nested lists")
    public abstract static class ToList extends BuiltinNode {
        @Specialization
        protected Object list(TensorValue x) {
            return x.toList();
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }
}
