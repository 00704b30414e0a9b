package dev.rlx.engine.rl;

import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.ScoreBatch;
import dev.rlx.engine.train.Scorer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Stage 5 of a step: {@code epochs} passes over the batch in minibatches of {@code minibatch} rows (shuffled per
 * epoch from the seed; the whole batch in order when there is one of each). Each minibatch: a forward with
 * gradients fills {@code logp} and {@code entropy}, the loss function -> backward -> clip -> AdamW at the
 * step's learning rate; then, with a critic, {@code values} with gradients -> the value loss -> the critic's
 * optimizer. Logs the mean loss, grad norm and loss diagnostics over the optimizer steps (the value loss's
 * diagnostics prefixed {@code value_}), and from the first epoch the entropy and, with a reference, the KL.
 * With {@code plan.pruneKeep()} (CPPO) only the kept completions of each group are trained on (and measured):
 * {@link CompletionPruning}; {@code update_rows} logs how many.
 */
final class UpdateStage {
    private final RlPlan plan;
    private final RunModels models;
    private final int pad;

    UpdateStage(RlPlan plan, RunModels models, int pad) {
        this.plan = plan;
        this.models = models;
        this.pad = pad;
    }

    /** Sums over a step's optimizer steps, turned into means by {@link #log}. */
    private static final class Totals {
        final Map<String, Double> diagnostics = new TreeMap<>();
        double loss;
        double gradNorm;
        double valueLoss;
        double valueGradNorm;
        double entropy;
        double kl;
        double tokens;
        int updates;
    }

    void run(int step, BatchAssembly.StepBatch stepBatch, Batch full, Path lastCheckpoint, Map<String, Object> metrics) {
        // with CPPO's pruning the update sees only the kept rows; rows[k] is the batch row of update row k
        int[] rows = plan.pruneKeep() > 0 ? prunedRows(full) : null;
        int bsz = rows == null ? full.size() : rows.length;
        if (rows != null) metrics.put("update_rows", bsz);
        int mbSize = plan.minibatch() <= 0 || plan.minibatch() >= bsz ? bsz : plan.minibatch();
        boolean single = rows == null && plan.epochs() == 1 && mbSize == bsz;
        if (!single) full.oldLogp(); // materialize before minibatches gather it
        double lr = models.policySchedule.lr(step - 1);
        Totals tot = new Totals();
        for (int e = 0; e < plan.epochs(); e++) {
            int[] order = single ? Shuffle.identity(bsz)
                    : Shuffle.permutation(bsz, new SplittableRandom(Shuffle.seed(plan.seed(), step, 1000 + e)));
            if (rows != null) {
                for (int k = 0; k < order.length; k++) order[k] = rows[order[k]];
            }
            for (int from = 0; from < bsz; from += mbSize) {
                int[] idx = Arrays.copyOfRange(order, from, Math.min(bsz, from + mbSize));
                try (TensorScope mb = TensorScope.open()) {
                    Batch part = single ? full : full.rows(idx, Tensors.fromLongs(Arrays.stream(idx).asLongStream().toArray(), idx.length));
                    ScoreBatch tokens = single ? stepBatch.tokens() : minibatchTokens(stepBatch, idx, full, mb);
                    policyStep(step, part, tokens, single && !full.hasOldLogp(), e == 0, lr, lastCheckpoint, tot);
                    if (models.critic != null) criticStep(step, part, tokens, lastCheckpoint, tot);
                    tot.updates++;
                }
            }
        }
        log(tot, lr, metrics);
    }

    private int[] prunedRows(Batch full) {
        Tensor a = full.advantages();
        return CompletionPruning.keep(a.toDoubleArray(), a.shape(), a.rank() == 2 ? full.mask().toDoubleArray() : null,
                full.group(), plan.pruneKeep());
    }

    /** The minibatch's rows, padded to the batch's T so the gathered [B,T] fields line up. */
    private ScoreBatch minibatchTokens(BatchAssembly.StepBatch sb, int[] idx, Batch full, TensorScope mb) {
        int tmax = (int) full.mask().shape()[1];
        List<int[]> prompts = new ArrayList<>();
        byte[][] mask = new byte[idx.length][tmax];
        int[][] padded = new int[idx.length][tmax];
        for (int i = 0; i < idx.length; i++) {
            int[] r = sb.responses()[idx[i]];
            prompts.add(sb.promptIds().get(idx[i]));
            Arrays.fill(padded[i], pad);
            System.arraycopy(r, 0, padded[i], 0, r.length);
            Arrays.fill(mask[i], 0, r.length, (byte) 1);
        }
        return ScoreBatch.of(mb.manager(), prompts, padded, mask, pad, models.policy.dataType(), plan.sharedPrompts());
    }

    private void policyStep(int step, Batch part, ScoreBatch tokens, boolean oldFromThisForward, boolean firstEpoch,
                            double lr, Path lastCheckpoint, Totals tot) {
        double lossValue;
        try (GradientRecording rec = Tensors.recordGradients()) {
            Scorer.TokenStats st = Scorer.stats(models.policy, tokens, plan.rollout().temperature(), true, true);
            Tensor lp = Tensors.wrap(st.logprobs());
            Tensor ent = Tensors.wrap(st.entropy());
            Batch withLp = part.with("logp", lp).with("entropy", ent);
            if (oldFromThisForward) withLp = withLp.with("old_logp", lp.stopGradient());
            LossFunction.Loss loss = plan.loss().compute(withLp);
            lossValue = loss.value().item();
            if (!Double.isFinite(lossValue)) throw new RlDivergedException(step, "loss", lossValue, lastCheckpoint);
            rec.backward(loss.value());
            for (var d : loss.diagnostics().entrySet()) tot.diagnostics.merge(d.getKey(), d.getValue(), Double::sum);
            if (firstEpoch) {
                Tensor pm = part.mask();
                tot.tokens += pm.sum().item();
                tot.entropy += ent.stopGradient().mul(pm).sum().item();
                if (part.refLogp() != null) tot.kl += klSum(lp.stopGradient(), part.refLogp(), pm);
            }
        }
        double gn = models.policyOpt.step(lr);
        if (plan.optimizer().clipGrad() > 0 && !Double.isFinite(gn)) {
            throw new RlDivergedException(step, "grad_norm", gn, lastCheckpoint);
        }
        tot.loss += lossValue;
        tot.gradNorm += gn;
    }

    private void criticStep(int step, Batch part, ScoreBatch tokens, Path lastCheckpoint, Totals tot) {
        double vl;
        try (GradientRecording rec = Tensors.recordGradients()) {
            Tensor v = Tensors.wrap(models.critic.values(tokens));
            LossFunction.Loss loss = plan.critic().valueLoss().compute(part.with("values", v));
            vl = loss.value().item();
            if (!Double.isFinite(vl)) throw new RlDivergedException(step, "value_loss", vl, lastCheckpoint);
            rec.backward(loss.value());
            for (var d : loss.diagnostics().entrySet()) {
                String name = d.getKey().startsWith("value_") ? d.getKey() : "value_" + d.getKey();
                tot.diagnostics.merge(name, d.getValue(), Double::sum);
            }
        }
        tot.valueLoss += vl;
        tot.valueGradNorm += models.criticOpt.step(models.criticSchedule.lr(step - 1));
    }

    /**
     * The run's KL metric, the one definition of it: Schulman's k3 estimate of KL(policy || reference) on the
     * sampled tokens, {@code exp(ref - logp) - (ref - logp) - 1} (non-negative per token), summed over the mask;
     * logged as its mean over the step's tokens. It is std/kl's {@code k3} with the same arguments.
     */
    static double klSum(Tensor logp, Tensor refLogp, Tensor mask) {
        Tensor d = refLogp.sub(logp);
        return d.exp().sub(d).sub(1.0).mul(mask).sum().item();
    }

    private void log(Totals tot, double lr, Map<String, Object> m) {
        int n = tot.updates;
        if (models.reference != null) m.put("kl", tot.kl / Math.max(1, tot.tokens));
        m.put("entropy", tot.entropy / Math.max(1, tot.tokens));
        m.put("loss", tot.loss / n);
        for (var d : tot.diagnostics.entrySet()) m.put(d.getKey(), d.getValue() / n);
        m.put("grad_norm", tot.gradNorm / n);
        m.put("lr", lr);
        if (models.critic != null) {
            m.put("value_loss", tot.valueLoss / n);
            m.put("value_grad_norm", tot.valueGradNorm / n);
        }
    }
}
