package dev.rlx.engine.rl;

import dev.rlx.engine.tensor.DType;
import dev.rlx.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Stage 4 of a step: the experiment's credit function turns the scored batch into {@code advantages} ([B]
 * broadcast over the mask, or [B,T]), optional {@code returns} [B,T] for a critic, and optional next carried
 * state. Shapes are checked here so a wrong credit function fails at the step, not inside the loss.
 */
final class CreditStage {
    /** The batch with advantages (and returns), and the state to carry into the next step. */
    record Result(Batch batch, Map<String, Object> state) {}

    private final RlPlan plan;

    CreditStage(RlPlan plan) {
        this.plan = plan;
    }

    Result apply(Batch batch, int step, Path lastCheckpoint) {
        CreditFunction.Credit credit = plan.credit().compute(batch);
        int bsz = batch.size();
        Tensor mask = batch.mask();
        int tmax = (int) mask.shape()[1];
        Batch out = batch.with("advantages", advantages(credit, bsz, tmax, mask, step, lastCheckpoint));
        if (credit.returns() != null) {
            long[] sh = credit.returns().shape();
            if (sh.length != 2 || sh[0] != bsz || sh[1] != tmax) {
                throw new IllegalArgumentException("credit returns: shape " + Arrays.toString(sh) + ", expected [" + bsz + ", " + tmax + "]");
            }
            out = out.with("returns", credit.returns());
        } else if (plan.critic() != null) {
            throw new IllegalArgumentException("credit: a critic needs returns [B,T] from the credit function");
        }
        Map<String, Object> next = batch.state();
        if (credit.state() != null) {
            if (plan.initialState() == null) {
                throw new IllegalArgumentException("credit: returned a state, but the experiment declares none to carry");
            }
            CarriedState.check(credit.state());
            next = credit.state();
        }
        return new Result(out, next);
    }

    private static Tensor advantages(CreditFunction.Credit credit, int bsz, int tmax, Tensor mask, int step, Path lastCheckpoint) {
        Tensor a = credit.advantages();
        if (a == null) throw new IllegalArgumentException("credit: no advantages returned");
        long[] sh = a.shape();
        Tensor adv;
        if (sh.length == 1 && sh[0] == bsz) {
            adv = a.toType(DType.FLOAT32).reshape(bsz, 1).mul(mask);
        } else if (sh.length == 2 && sh[0] == bsz && sh[1] == tmax) {
            adv = a.toType(DType.FLOAT32).mul(mask);
        } else {
            throw new IllegalArgumentException("credit: advantages have shape " + Arrays.toString(sh)
                    + ", expected [" + bsz + "] or [" + bsz + ", " + tmax + "] (B = prompts x group, T = longest completion)");
        }
        double total = adv.abs().sum().item();
        if (!Double.isFinite(total)) throw new RlDivergedException(step, "advantages", total, lastCheckpoint);
        return adv;
    }
}
