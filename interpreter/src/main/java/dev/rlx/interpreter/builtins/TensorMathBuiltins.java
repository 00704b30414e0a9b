package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.interpreter.nodes.DispatchNode;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.List;

import static dev.rlx.interpreter.tensor.TensorArgs.axis;
import static dev.rlx.interpreter.tensor.TensorArgs.bool;
import static dev.rlx.interpreter.tensor.TensorArgs.intArg;
import static dev.rlx.interpreter.tensor.TensorArgs.tensor;
import static dev.rlx.interpreter.tensor.TensorArgs.wrap;

/**
 * Tensor math beyond the operators: activations, reductions with axis/keep, element-wise extremes,
 * and gradients. exp/log/sqrt/abs/clamp/min/max/sum accept tensors too (see MathBuiltins, ListBuiltins).
 */
public final class TensorMathBuiltins {
    private TensorMathBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            TensorMathBuiltinsFactory.SigmoidFactory.getInstance(), TensorMathBuiltinsFactory.LogSigmoidFactory.getInstance(),
            TensorMathBuiltinsFactory.SoftmaxFactory.getInstance(), TensorMathBuiltinsFactory.LogSoftmaxFactory.getInstance(),
            TensorMathBuiltinsFactory.MeanFactory.getInstance(), TensorMathBuiltinsFactory.StdFactory.getInstance(),
            TensorMathBuiltinsFactory.VarFactory.getInstance(), TensorMathBuiltinsFactory.AmaxFactory.getInstance(),
            TensorMathBuiltinsFactory.AminFactory.getInstance(), TensorMathBuiltinsFactory.MaximumFactory.getInstance(),
            TensorMathBuiltinsFactory.MinimumFactory.getInstance(), TensorMathBuiltinsFactory.StopGradientFactory.getInstance(),
            TensorMathBuiltinsFactory.GradFactory.getInstance());

    @Builtin(value = "sigmoid(x)", doc = "1 / (1 + exp(-x)), element-wise")
    public abstract static class Sigmoid extends BuiltinNode {
        @Specialization
        protected Object sigmoid(TensorValue x) {
            return wrap(x.tensor().sigmoid());
        }

        @Specialization
        protected double sigmoid(double x) {
            return 1.0 / (1.0 + Math.exp(-x));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "log_sigmoid(x)", doc = "log(sigmoid(x)) computed without overflow: min(x, 0) - log(1 + exp(-|x|))")
    public abstract static class LogSigmoid extends BuiltinNode {
        @Specialization
        protected Object logSigmoid(TensorValue x) {
            return wrap(x.tensor().logSigmoid());
        }

        @Specialization
        protected double logSigmoid(double x) {
            return Math.min(x, 0.0) - Math.log1p(Math.exp(-Math.abs(x)));
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "softmax(x, axis = -1)", doc = "exp(x) / sum(exp(x)) along axis")
    public abstract static class Softmax extends BuiltinNode {
        @Specialization
        protected Object softmax(TensorValue x, Object axis) {
            return wrap(x.tensor().softmax(intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object x, Object axis) {
            throw typeError(x, axis);
        }
    }

    @Builtin(value = "log_softmax(x, axis = -1)", doc = "x - log(sum(exp(x))) along axis (log-probabilities from logits)")
    public abstract static class LogSoftmax extends BuiltinNode {
        @Specialization
        protected Object logSoftmax(TensorValue x, Object axis) {
            return wrap(x.tensor().logSoftmax(intArg(axis, "axis")));
        }

        @Fallback
        protected Object error(Object x, Object axis) {
            throw typeError(x, axis);
        }
    }

    @Builtin(value = "mean(x, axis = none, keep = false)", doc = "mean over axis (none: all elements); keep leaves a size-1 axis; also takes a list of numbers")
    public abstract static class Mean extends BuiltinNode {
        @Specialization
        protected Object mean(TensorValue x, Object axis, Object keep) {
            return wrap(x.tensor().mean(axis(axis), bool(keep, "keep")));
        }

        @Specialization
        @TruffleBoundary
        protected Object mean(RlxList x, Object axis, Object keep) {
            if (x.size() == 0) {
                throw error("mean of an empty list");
            }
            double s = 0;
            for (Object v : x.items()) {
                if (!(v instanceof Long || v instanceof Double)) {
                    throw error("expects numbers, got a " + Types.name(v));
                }
                s += ((Number) v).doubleValue();
            }
            return s / x.size();
        }

        @Fallback
        protected Object error(Object x, Object axis, Object keep) {
            throw typeError(x, axis, keep);
        }
    }

    @Builtin(value = "std(x, axis = none, keep = false, unbiased = true)", doc = "standard deviation over axis; unbiased divides by n-1")
    public abstract static class Std extends BuiltinNode {
        @Specialization
        protected Object std(TensorValue x, Object axis, Object keep, Object unbiased) {
            return wrap(x.tensor().std(axis(axis), bool(keep, "keep"), bool(unbiased, "unbiased")));
        }

        @Fallback
        protected Object error(Object x, Object axis, Object keep, Object unbiased) {
            throw typeError(x, axis, keep, unbiased);
        }
    }

    @Builtin(value = "var(x, axis = none, keep = false, unbiased = true)", doc = "variance over axis; unbiased divides by n-1")
    public abstract static class Var extends BuiltinNode {
        @Specialization
        protected Object var(TensorValue x, Object axis, Object keep, Object unbiased) {
            return wrap(x.tensor().var(axis(axis), bool(keep, "keep"), bool(unbiased, "unbiased")));
        }

        @Fallback
        protected Object error(Object x, Object axis, Object keep, Object unbiased) {
            throw typeError(x, axis, keep, unbiased);
        }
    }

    @Builtin(value = "amax(x, axis = none, keep = false)", doc = "the largest element over axis (none: all); max(x) is amax(x)")
    public abstract static class Amax extends BuiltinNode {
        @Specialization
        protected Object amax(TensorValue x, Object axis, Object keep) {
            return wrap(x.tensor().max(axis(axis), bool(keep, "keep")));
        }

        @Fallback
        protected Object error(Object x, Object axis, Object keep) {
            throw typeError(x, axis, keep);
        }
    }

    @Builtin(value = "amin(x, axis = none, keep = false)", doc = "the smallest element over axis (none: all); min(x) is amin(x)")
    public abstract static class Amin extends BuiltinNode {
        @Specialization
        protected Object amin(TensorValue x, Object axis, Object keep) {
            return wrap(x.tensor().min(axis(axis), bool(keep, "keep")));
        }

        @Fallback
        protected Object error(Object x, Object axis, Object keep) {
            throw typeError(x, axis, keep);
        }
    }

    @Builtin(value = "maximum(a, b)", doc = "element-wise larger of a and b (tensors or numbers, broadcast)")
    public abstract static class Maximum extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object maximum(Object a, Object b) {
            return wrap(tensor(a, "a").maximum(tensor(b, "b")));
        }
    }

    @Builtin(value = "minimum(a, b)", doc = "element-wise smaller of a and b (tensors or numbers, broadcast)")
    public abstract static class Minimum extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object minimum(Object a, Object b) {
            return wrap(tensor(a, "a").minimum(tensor(b, "b")));
        }
    }

    @Builtin(value = "stop_gradient(x)", doc = "the same values with no gradient flowing back through them (sg in the papers, detach() in PyTorch)")
    public abstract static class StopGradient extends BuiltinNode {
        @Specialization
        protected Object stop(TensorValue x) {
            return wrap(x.tensor().stopGradient());
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    /**
     * d f(x) / dx. x becomes a fresh leaf; f runs while gradients are recorded; its result (a scalar
     * tensor, or a record whose `loss` field is one, as the std/loss functions return) is
     * back-propagated. A result that does not depend on x gives zeros. A non-scalar result
     * back-propagates its sum.
     */
    @Builtin(value = "grad(f, x)",
            doc = "the gradient of f at x: a tensor shaped like x holding d f(x) / dx. f returns a scalar tensor "
                    + "or a loss record {loss, ...}; non-scalar results are summed. Not nestable.")
    public abstract static class Grad extends BuiltinNode {
        @Specialization
        protected Object grad(Object f, TensorValue x, @Cached("positional(1)") DispatchNode call) {
            if (isRecording()) {
                throw error("grad cannot be nested inside another grad (or a training step's gradient recording)");
            }
            Tensor leaf = x.tensor().withGrad();
            GradientRecording rec = Tensors.recordGradients();
            try {
                Object out = call.execute(f, new Object[] {wrap(leaf)});
                backward(rec, out, leaf);
            } finally {
                close(rec);
            }
            return wrap(gradientOf(leaf));
        }

        @TruffleBoundary
        private static boolean isRecording() {
            return GradientRecording.isActive();
        }

        @TruffleBoundary
        private void backward(GradientRecording rec, Object out, Tensor leaf) {
            Object loss = out instanceof RlxRecord r && r.get("loss") != null ? r.get("loss") : out;
            if (!(loss instanceof TensorValue t)) {
                throw error("f must return a tensor or a record with a 'loss' tensor, got " + Types.name(out));
            }
            // + 0 * sum(x) keeps x in the graph, so a result that ignores x gives zeros, not an error
            rec.backward(t.tensor().sum().add(leaf.sum().mul(0.0)));
        }

        @TruffleBoundary
        private static void close(GradientRecording rec) {
            rec.close();
        }

        @TruffleBoundary
        private static Tensor gradientOf(Tensor leaf) {
            return leaf.gradient();
        }

        @Fallback
        protected Object error(Object f, Object x) {
            throw typeError(f, x);
        }
    }
}
