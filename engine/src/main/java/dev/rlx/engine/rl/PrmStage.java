package dev.rlx.engine.rl;

import dev.rlx.engine.tensor.DType;
import dev.rlx.engine.tensor.GradientRecording;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.Scorer;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * PRIME's implicit process reward model, between scoring and credit (only with {@link RlPlan#prm()}). As PRIME
 * does, the PRM is updated FIRST on the step's rollouts (its loss sees {@code prm_logp} with gradients,
 * {@code ref_logp}, {@code outcomes} = the verifier term, {@code mask}; one AdamW step at the PRM's lr), and the
 * updated PRM then scores them: {@code process_rewards = beta * (prm_logp - ref_logp)} on the mask, no gradient.
 * Logs {@code prm_loss}, {@code prm_grad_norm}, the loss's diagnostics with a {@code prm_} prefix, and the mean
 * and std of the process rewards over response tokens.
 */
final class PrmStage {
    private final RlPlan plan;
    private final RunModels models;

    PrmStage(RlPlan plan, RunModels models) {
        this.plan = plan;
        this.models = models;
    }

    Batch run(int step, BatchAssembly.StepBatch sb, Batch batch, TensorScope scope, Path lastCheckpoint,
              Map<String, Object> metrics) {
        RlPlan.Prm prm = plan.prm();
        Tensor outcome = batch.terms().get(prm.outcomeTerm());
        if (outcome == null) {
            throw new IllegalArgumentException("prm: the outcome term '" + prm.outcomeTerm() + "' is not one of the "
                    + "rewards (" + String.join(", ", batch.terms().keySet()) + ")");
        }
        double temperature = plan.rollout().temperature();
        Batch withOutcomes = batch.with("outcomes", outcome.toType(DType.FLOAT32));
        double lossValue;
        double gn;
        try (TensorScope update = TensorScope.open()) {
            try (GradientRecording rec = Tensors.recordGradients()) {
                Tensor lp = Tensors.wrap(Scorer.logProbs(models.prm, sb.tokens(), temperature, true));
                LossFunction.Loss loss = prm.loss().compute(withOutcomes.with("prm_logp", lp));
                lossValue = loss.value().item();
                if (!Double.isFinite(lossValue)) throw new RlDivergedException(step, "prm_loss", lossValue, lastCheckpoint);
                rec.backward(loss.value());
                for (var d : new TreeMap<>(loss.diagnostics()).entrySet()) { // sorted, as UpdateStage logs them
                    metrics.put(d.getKey().startsWith("prm_") ? d.getKey() : "prm_" + d.getKey(), d.getValue());
                }
            }
            // inside the scope, as the RL update steps: the gradients are read while the step's tensors are alive
            gn = models.prmOpt.step(models.prmSchedule.lr(step - 1));
        }
        metrics.put("prm_loss", lossValue);
        metrics.put("prm_grad_norm", gn);
        Tensor mask = batch.mask();
        Tensor prmLogp = Tensors.wrap(Scorer.logProbs(models.prm, sb.tokens(), temperature, false));
        Tensor rewards = prmLogp.sub(batch.refLogp()).mul(prm.beta()).mul(mask);
        double tokens = Math.max(1.0, mask.sum().item());
        double mean = rewards.sum().item() / tokens;
        double var = rewards.sub(mean).mul(mask).pow(2.0).sum().item() / tokens;
        metrics.put("process_reward_mean", mean);
        metrics.put("process_reward_std", Math.sqrt(var));
        return withOutcomes.with("prm_logp", prmLogp).with("process_rewards", rewards);
    }
}
