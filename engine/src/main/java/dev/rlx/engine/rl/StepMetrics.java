package dev.rlx.engine.rl;

import java.util.Collections;
import java.util.Map;

/**
 * One step's metrics line, in the order written to metrics.jsonl. Keys: step; the rollout's reward (mean
 * score), reward/&lt;term&gt; (each term's mean), reward_errors (reward calls that failed and were scored 0, with
 * on_reward_error "zero"; 0 otherwise), score_std, accuracy (training samples, with a correctness predicate),
 * length_mean, length_max, truncation_rate, filtered_groups, rollouts (sampling rounds), baseline_reward (the
 * greedy baseline's mean score, with one); the update's kl (k3 estimate of KL(policy || reference) on the sampled
 * tokens, with a reference; see UpdateStage#klSum), entropy, loss, grad_norm, lr, the loss function's diagnostics
 * under their names (clip_frac, ...), and value_loss / value_grad_norm / value_&lt;diagnostic&gt; with a critic;
 * state/&lt;path&gt; for each number of the carried state after the step; eval_accuracy on eval steps; and the
 * wall-clock split time_ms_{total,rollout,reward,baseline,batch,reference,critic,credit,update,eval} (a stage
 * that did not run has no key). Keys starting with {@code time_} are wall-clock times; all others are
 * deterministic given the seed.
 */
public record StepMetrics(int step, Map<String, Object> values) {
    public StepMetrics {
        values = Collections.unmodifiableMap(values);
    }

    public double get(String key) {
        Object v = values.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
