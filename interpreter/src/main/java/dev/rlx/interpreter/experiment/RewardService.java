package dev.rlx.interpreter.experiment;

import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.rl.Sample;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import java.time.Duration;
import java.util.List;

/**
 * An experiment's rewards (and its eval metric) as a service for another trainer: the same {@link ScriptRewards}
 * a run uses, with the experiment's reward_timeout and on_reward_error, scoring batches of samples it is handed.
 * A term that returns per-token values is an error here: the other trainer takes one number per completion.
 */
public final class RewardService {
    private final ScriptRewards rewards;
    private final ScriptRewards metric;
    private final int eosId;

    private RewardService(ScriptRewards rewards, ScriptRewards metric, int eosId) {
        this.rewards = rewards;
        this.metric = metric;
        this.eosId = eosId;
    }

    /** The service of {@code experiment} (a `train` record) in an evaluated script. */
    public static RewardService open(RlxSession session, RlxSession.Script script, String experiment) {
        if (ExperimentRunner.isPreference(session, script, experiment)) {
            throw new RlxError("error: '" + experiment + "' is a preference experiment: it has no rewards to serve", null);
        }
        TrainRecord train = TrainRecord.open(ExperimentRunner.experimentRecord(session, script, experiment,
                TrainSchema.TAG), session);
        Duration timeout = Duration.ofMillis((long) (train.number("reward_timeout") * 1000));
        boolean zero = train.string("on_reward_error").equals("zero");
        ScriptRewards rewards = new ScriptRewards(session, train.reward("rewards"), timeout, zero);
        TrainRecord eval = train.nested("eval");
        ScriptRewards metric = eval == null ? null : new ScriptRewards(session, eval.reward("metric"), timeout, zero);
        var policy = train.get("policy", dev.rlx.interpreter.model.ModelValue.class);
        int eos = policy.tokenizer() == null ? -1 : policy.tokenizer().tokenizer().eosId();
        return new RewardService(rewards, metric, eos);
    }

    /** The policy tokenizer's EOS id (-1 if none): a completion ending in it finished with "stop". */
    public int eosId() {
        return eosId;
    }

    /** The reward terms' names and weights, in order; the metric's name (null without eval). */
    public List<String> termNames() {
        return rewards.names();
    }

    public double[] weights() {
        return rewards.weights();
    }

    public String metricName() {
        return metric == null ? null : metric.firstName();
    }

    public boolean hasMetric() {
        return metric != null;
    }

    /**
     * The rewards' terms for {@code samples} (or the eval metric's, when {@code evalMetric}); a failing reward is an
     * RlxError naming its location unless on_reward_error is "zero" (then it counts in {@code errors}).
     */
    public RewardEvaluator.Rewards score(List<Sample> samples, boolean evalMetric) {
        ScriptRewards r = evalMetric ? metric : rewards;
        if (r == null) {
            throw new RlxError("error: the experiment has no eval metric (train.eval.metric) to score with", null);
        }
        RewardEvaluator.Rewards out = r.evaluate(samples);
        if (out.dense() != null) {
            for (int t = 0; t < out.names().size(); t++) {
                if (r.isDenseTerm(t)) {
                    throw FunctionErrors.at(r.function(t), "reward '" + out.names().get(t) + "' returned per-token "
                            + "values (a dense reward); an exported trainer takes one number per completion");
                }
            }
        }
        return out;
    }
}
