package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.tensor.Groups;
import dev.rlx.engine.tensor.Masked;
import dev.rlx.engine.tensor.Returns;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.List;

import static dev.rlx.interpreter.tensor.TensorArgs.axis;
import static dev.rlx.interpreter.tensor.TensorArgs.bool;
import static dev.rlx.interpreter.tensor.TensorArgs.intArg;
import static dev.rlx.interpreter.tensor.TensorArgs.number;
import static dev.rlx.interpreter.tensor.TensorArgs.tensor;
import static dev.rlx.interpreter.tensor.TensorArgs.wrap;

/**
 * The vectorized primitives std/credit, std/kl and std/loss are written over: masked reductions,
 * backward recurrences over T, and statistics of groups of consecutive rows. Each is a thin call into
 * dev.rlx.engine.tensor (Masked, Returns, Groups), whose javadoc states the exact semantics.
 */
public final class CreditPrimitives {
    private CreditPrimitives() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            CreditPrimitivesFactory.MaskedSumFactory.getInstance(), CreditPrimitivesFactory.MaskedMeanFactory.getInstance(),
            CreditPrimitivesFactory.MaskedVarFactory.getInstance(), CreditPrimitivesFactory.MaskedWhitenFactory.getInstance(),
            CreditPrimitivesFactory.MaskedQuantileFactory.getInstance(),
            CreditPrimitivesFactory.LengthsFactory.getInstance(), CreditPrimitivesFactory.LastTokenFactory.getInstance(),
            CreditPrimitivesFactory.DiscountedCumsumFactory.getInstance(), CreditPrimitivesFactory.GaeScanFactory.getInstance(),
            CreditPrimitivesFactory.GroupMeanFactory.getInstance(), CreditPrimitivesFactory.GroupSumFactory.getInstance(),
            CreditPrimitivesFactory.GroupStdFactory.getInstance(), CreditPrimitivesFactory.GroupMaxFactory.getInstance(),
            CreditPrimitivesFactory.GroupMinFactory.getInstance(), CreditPrimitivesFactory.GroupArgmaxFactory.getInstance());

    @Builtin(value = "masked_sum(x, mask, axis = none)", doc = "sum(x * mask) over axis (none: everything)")
    public abstract static class MaskedSum extends BuiltinNode {
        @Specialization
        protected Object sum(TensorValue x, Object mask, Object axis) {
            return wrap(Masked.sum(x.tensor(), tensor(mask, "mask"), axis(axis)));
        }

        @Fallback
        protected Object error(Object x, Object mask, Object axis) {
            throw typeError(x, mask, axis);
        }
    }

    @Builtin(value = "masked_mean(x, mask, axis = none)",
            doc = "sum(x * mask) / sum(mask) over axis (none: everything); a row with an empty mask gives 0")
    public abstract static class MaskedMean extends BuiltinNode {
        @Specialization
        protected Object mean(TensorValue x, Object mask, Object axis) {
            return wrap(Masked.mean(x.tensor(), tensor(mask, "mask"), axis(axis)));
        }

        @Fallback
        protected Object error(Object x, Object mask, Object axis) {
            throw typeError(x, mask, axis);
        }
    }

    @Builtin(value = "masked_var(x, mask, unbiased = true)",
            doc = "variance of the masked elements of the whole tensor; unbiased divides by sum(mask) - 1")
    public abstract static class MaskedVar extends BuiltinNode {
        @Specialization
        protected Object var(TensorValue x, Object mask, Object unbiased) {
            return wrap(Masked.var(x.tensor(), tensor(mask, "mask"), bool(unbiased, "unbiased")));
        }

        @Fallback
        protected Object error(Object x, Object mask, Object unbiased) {
            throw typeError(x, mask, unbiased);
        }
    }

    @Builtin(value = "masked_whiten(x, mask, shift_mean = true)",
            doc = "(x - mean) * rsqrt(var + 1e-8), mean and unbiased var over the masked positions of the whole batch; "
                    + "shift_mean: false adds the mean back. Every position is transformed, padding included (as verl)")
    public abstract static class MaskedWhiten extends BuiltinNode {
        @Specialization
        protected Object whiten(TensorValue x, Object mask, Object shiftMean) {
            return wrap(Masked.whiten(x.tensor(), tensor(mask, "mask"), bool(shiftMean, "shift_mean")));
        }

        @Fallback
        protected Object error(Object x, Object mask, Object shiftMean) {
            throw typeError(x, mask, shiftMean);
        }
    }

    @Builtin(value = "masked_quantile(x, mask, q)",
            doc = "the q-quantile (0 <= q <= 1) of the masked elements of the whole tensor, linearly interpolated as "
                    + "torch.quantile; a scalar without gradient, NaN when the mask selects nothing")
    public abstract static class MaskedQuantile extends BuiltinNode {
        @Specialization
        protected Object quantile(TensorValue x, Object mask, Object q) {
            return wrap(Masked.quantile(x.tensor(), tensor(mask, "mask"), number(q, "q")));
        }

        @Fallback
        protected Object error(Object x, Object mask, Object q) {
            throw typeError(x, mask, q);
        }
    }

    @Builtin(value = "lengths(mask)", doc = "L_i = sum_t mask[i,t] as an int64 tensor [B]")
    public abstract static class Lengths extends BuiltinNode {
        @Specialization
        protected Object lengths(TensorValue mask) {
            return wrap(Masked.lengths(mask.tensor()));
        }

        @Fallback
        protected Object error(Object mask) {
            throw typeError(mask);
        }
    }

    @Builtin(value = "last_token(scores, mask)",
            doc = "[B,T] zeros except scores[i] at position L_i - 1 (the last response token); differentiable in scores")
    public abstract static class LastToken extends BuiltinNode {
        @Specialization
        protected Object last(TensorValue scores, Object mask) {
            return wrap(Masked.lastTokenScatter(scores.tensor(), tensor(mask, "mask")));
        }

        @Fallback
        protected Object error(Object scores, Object mask) {
            throw typeError(scores, mask);
        }
    }

    @Builtin(value = "discounted_cumsum(x, mask, gamma = 1.0)",
            doc = "G_t = x_t + gamma * G_{t+1} backwards over t on masked positions, 0 at padding (the sum restarts after a gap); no gradient")
    public abstract static class DiscountedCumsum extends BuiltinNode {
        @Specialization
        protected Object cumsum(TensorValue x, Object mask, Object gamma) {
            return wrap(Returns.discountedCumsum(x.tensor(), tensor(mask, "mask"), number(gamma, "gamma")));
        }

        @Fallback
        protected Object error(Object x, Object mask, Object gamma) {
            throw typeError(x, mask, gamma);
        }
    }

    @Builtin(value = "gae_scan(rewards, values, mask, gamma = 1.0, lam = 1.0)",
            doc = "the GAE recurrence of REFERENCE.md (verl's: masked positions skipped, state carried) -> "
                    + "{advantages, returns = advantages + values}, not whitened; no gradient")
    public abstract static class GaeScan extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object gae(TensorValue rewards, Object values, Object mask, Object gamma, Object lam) {
            Returns.Gae g = Returns.gae(rewards.tensor(), tensor(values, "values"), tensor(mask, "mask"),
                    number(gamma, "gamma"), number(lam, "lam"));
            return RlxRecord.of(null, List.of("advantages", "returns"), List.of(wrap(g.advantages()), wrap(g.returns())));
        }

        @Fallback
        protected Object error(Object rewards, Object values, Object mask, Object gamma, Object lam) {
            throw typeError(rewards, values, mask, gamma, lam);
        }
    }

    /** Group helpers: a statistic of each group of n consecutive rows, broadcast back to x's shape. */
    abstract static class GroupStat extends BuiltinNode {
        /** Overridden by each group builtin (not abstract: the DSL generates a node for this class too). */
        protected Tensor stat(Tensor x, int n) {
            throw new IllegalStateException("group statistic not defined");
        }

        @Specialization
        protected Object group(TensorValue x, Object n) {
            return wrap(stat(x.tensor(), intArg(n, "n")));
        }

        @Fallback
        protected Object error(Object x, Object n) {
            throw typeError(x, n);
        }
    }

    @Builtin(value = "group_mean(x, n)", doc = "each row gets the mean of its group of n consecutive rows")
    public abstract static class GroupMean extends GroupStat {
        @Override
        protected Tensor stat(Tensor x, int n) {
            return Groups.mean(x, n);
        }
    }

    @Builtin(value = "group_sum(x, n)", doc = "each row gets the sum of its group of n consecutive rows")
    public abstract static class GroupSum extends GroupStat {
        @Override
        protected Tensor stat(Tensor x, int n) {
            return Groups.sum(x, n);
        }
    }

    @Builtin(value = "group_std(x, n)", doc = "each row gets the unbiased std of its group of n consecutive rows; 1.0 for n = 1")
    public abstract static class GroupStd extends GroupStat {
        @Override
        protected Tensor stat(Tensor x, int n) {
            return Groups.std(x, n);
        }
    }

    @Builtin(value = "group_max(x, n)", doc = "each row gets the max of its group of n consecutive rows")
    public abstract static class GroupMax extends GroupStat {
        @Override
        protected Tensor stat(Tensor x, int n) {
            return Groups.max(x, n);
        }
    }

    @Builtin(value = "group_min(x, n)", doc = "each row gets the min of its group of n consecutive rows")
    public abstract static class GroupMin extends GroupStat {
        @Override
        protected Tensor stat(Tensor x, int n) {
            return Groups.min(x, n);
        }
    }

    @Builtin(value = "group_argmax(x, n)", doc = "bool [B]: true at the first row holding its group's maximum (one per group)")
    public abstract static class GroupArgmax extends GroupStat {
        @Override
        protected Tensor stat(Tensor x, int n) {
            return Groups.argmaxMask(x, n);
        }
    }
}
