package dev.rlx.interpreter.experiment;

import dev.rlx.engine.pref.PreferenceLoss;
import dev.rlx.engine.rl.CreditFunction;
import dev.rlx.engine.rl.LossFunction;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The script's credit and loss functions as the engine's {@link CreditFunction} and {@link LossFunction}: each
 * is called with the batch record `b`, and what it returns is checked (shapes, the state it carries) with errors
 * at the function, naming what was returned and what was expected.
 */
final class BatchFunctions {
    private BatchFunctions() {}

    static CreditFunction credit(RlxSession session, RlxFunction fn) {
        FunctionHandle h = FunctionErrors.oneArgument(session, fn, "the credit function", "the batch", null, null);
        return batch -> {
            Object v = h.call(new BatchValue(batch));
            long[] bt = batch.mask().shape();
            if (v instanceof TensorValue t) {
                return new CreditFunction.Credit(checkAdvantages(t, bt, fn));
            }
            if (v instanceof RlxRecord r && r.get("advantages") != null) {
                Tensor advantages = checkAdvantages(r.get("advantages"), bt, fn);
                Object ret = r.get("returns");
                Tensor returns = null;
                if (ret != null && ret != RlxNone.INSTANCE) {
                    if (!(ret instanceof TensorValue rt) || !Arrays.equals(rt.tensor().shape(), bt)) {
                        throw FunctionErrors.at(fn, "the credit function returned returns " + shaped(ret)
                                + "; expected a tensor [B,T] = " + Arrays.toString(bt) + " or none");
                    }
                    returns = rt.tensor();
                }
                return new CreditFunction.Credit(advantages, returns, nextState(r.get("state"), batch.state() != null, fn));
            }
            throw FunctionErrors.at(fn, "the credit function returned " + FunctionErrors.describe(v)
                    + (v instanceof RlxRecord r ? " without 'advantages' (fields: " + String.join(", ", r.shape().keys())
                    + ")" : "") + "; expected advantages: a tensor [B] or [B,T], or a record {advantages, returns, state}");
        };
    }

    /** The state for the next step (null: keep the current one, which a returned none also means). */
    private static Map<String, Object> nextState(Object state, boolean declared, RlxFunction fn) {
        if (state == null || state == RlxNone.INSTANCE) {
            return null;
        }
        if (!declared) {
            throw FunctionErrors.at(fn, "the credit function returned a state, but the experiment carries none; "
                    + "declare the first one in its train record (state: {...})");
        }
        if (!(state instanceof RlxRecord r) || r.tag() != null) {
            throw FunctionErrors.at(fn, "the credit function returned state as " + FunctionErrors.describe(state)
                    + "; expected a record {...}");
        }
        try {
            return CarriedValues.toEngine(r);
        } catch (CarriedValues.Uncarriable e) {
            throw FunctionErrors.at(fn, "the credit function returned a state that cannot be carried to the next step: "
                    + e.getMessage());
        }
    }

    /** Advantages [B] (one per completion) or [B,T] (per token), T the batch's longest completion. */
    private static Tensor checkAdvantages(Object v, long[] bt, RlxFunction fn) {
        long[] s = v instanceof TensorValue t ? t.tensor().shape() : null;
        boolean ok = s != null && (s.length == 1 && s[0] == bt[0] || Arrays.equals(s, bt));
        if (!ok) {
            throw FunctionErrors.at(fn, "the credit function returned advantages " + shaped(v)
                    + "; expected a tensor [B] = [" + bt[0] + "] or [B,T] = " + Arrays.toString(bt)
                    + " (B = prompts x group, T = the longest completion)");
        }
        return ((TensorValue) v).tensor();
    }

    /** `of shape [16, 4]` for a tensor, else `as a float`. */
    private static String shaped(Object v) {
        return v instanceof TensorValue t ? "of shape " + Arrays.toString(t.tensor().shape()) : "as " + FunctionErrors.describe(v);
    }

    /** {@code what} names the function in errors: "loss", "critic.loss". */
    static LossFunction loss(RlxSession session, RlxFunction fn, String what) {
        FunctionHandle h = FunctionErrors.oneArgument(session, fn, "the " + what + " function", "the batch", null, null);
        return batch -> toLoss(h.call(new BatchValue(batch)), fn, what);
    }

    /** A preference experiment's loss, called with the preference batch (B pairs). */
    static PreferenceLoss preferenceLoss(RlxSession session, RlxFunction fn) {
        FunctionHandle h = FunctionErrors.oneArgument(session, fn, "the loss function", "the preference batch", null,
                null);
        return batch -> toLoss(h.call(new PreferenceBatchValue(batch)), fn, "loss");
    }

    /** A scalar tensor, or a {loss, ...} record whose scalar numbers and tensors become logged diagnostics. */
    private static LossFunction.Loss toLoss(Object v, RlxFunction fn, String what) {
        if (v instanceof TensorValue t && t.tensor().size() == 1) {
            return new LossFunction.Loss(t.tensor());
        }
        if (v instanceof RlxRecord r && r.get("loss") instanceof TensorValue t && t.tensor().size() == 1) {
            Map<String, Double> diagnostics = new LinkedHashMap<>();
            for (int i = 0; i < r.size(); i++) {
                Object d = r.value(i);
                if (r.key(i).equals("loss")) {
                    continue;
                }
                if (d instanceof Number n) {
                    diagnostics.put(r.key(i), n.doubleValue());
                } else if (d instanceof TensorValue dt && dt.tensor().size() == 1) {
                    diagnostics.put(r.key(i), dt.tensor().item());
                }
            }
            return new LossFunction.Loss(t.tensor(), diagnostics);
        }
        Object loss = v instanceof RlxRecord r ? r.get("loss") : v;
        String got = !(v instanceof RlxRecord r) ? FunctionErrors.describe(v)
                : loss == null ? "a record without 'loss' (fields: " + String.join(", ", r.shape().keys()) + ")"
                : "a record whose loss is " + FunctionErrors.describe(loss);
        throw FunctionErrors.at(fn, "the " + what + " function returned " + got
                + "; expected a scalar tensor or a record {loss: <scalar tensor>, ...}"
                + (loss instanceof TensorValue ? " (reduce it, e.g. with mean or loss.aggregate)" : ""));
    }
}
