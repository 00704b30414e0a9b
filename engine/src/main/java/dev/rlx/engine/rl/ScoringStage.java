package dev.rlx.engine.rl;

import ai.djl.pytorch.jni.JniUtils;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.engine.tensor.TensorScope;
import dev.rlx.engine.tensor.Tensors;
import dev.rlx.engine.train.Scorer;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stage 3 of a step: the forwards without gradients that something reads. {@code ref_logp} from the frozen
 * reference (only when the plan keeps one), {@code values} and {@code old_values} from the critic (only with a
 * critic), and {@code old_logp} from the sampling policy, lazily: it costs a forward only if the credit function
 * reads it or the update needs it for several epochs or minibatches; otherwise the update uses its own forward's
 * log-probs without gradient (the same numbers, as TRL and verl do).
 */
final class ScoringStage {
    private final RunModels models;
    private final double temperature;

    ScoringStage(RunModels models, double temperature) {
        this.models = models;
        this.temperature = temperature;
    }

    /** The batch with its scored fields; forward times go into {@code timings} (time_ms_reference, _critic). */
    Batch score(BatchAssembly.StepBatch step, TensorScope scope, Map<String, Object> timings) {
        Batch b = step.batch();
        if (models.reference != null) {
            long t = System.nanoTime();
            b = b.with("ref_logp", Tensors.wrap(Scorer.logProbs(models.reference, step.tokens(), temperature, false)));
            timings.put("time_ms_reference", (System.nanoTime() - t) / 1e6);
        }
        if (models.critic != null) {
            long t = System.nanoTime();
            Tensor v = noGrad(() -> Tensors.wrap(models.critic.values(step.tokens())));
            b = b.with("values", v).with("old_values", v);
            timings.put("time_ms_critic", (System.nanoTime() - t) / 1e6);
        }
        return b.withOldLogpSource(() -> {
            Tensor t = Tensors.wrap(Scorer.logProbs(models.policy, step.tokens(), temperature, false));
            t.ndarray().attach(scope.manager());
            return t;
        });
    }

    private static <T> T noGrad(Supplier<T> f) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return f.get();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
