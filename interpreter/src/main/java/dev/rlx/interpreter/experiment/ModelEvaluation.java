package dev.rlx.interpreter.experiment;

import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.rl.PassAtK;
import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.rl.Sample;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxReward;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `rlx evaluate`'s measurement of a model on a dataset with a reward as the metric: greedy accuracy (the share of
 * greedy completions the metric's first term scores at least 0.5, decoded exactly as a run's periodic eval does:
 * chunks of 64 prompts, the same sampler), the mean metric score of those completions, and pass@k from n sampled
 * completions per problem with the unbiased estimator ({@link PassAtK}).
 */
public final class ModelEvaluation {
    private static final int CHUNK = 64;

    /** How to decode: the eval's limits, and the sampling of the pass@k completions. */
    public record Decoding(int maxTokens, double temperature, double topP, int topK, List<String> stop, long seed) {}

    /** The numbers: greedy accuracy and its count, mean reward of the greedy completions, pass@k by k. */
    public record Result(int problems, int greedyCorrect, double greedyAccuracy, double meanReward, int samples,
                         double sampledAccuracy, Map<Integer, Double> passAtK, String metric) {}

    private ModelEvaluation() {}

    /** The dataset that {@code value} must be (the value of --data). */
    public static Dataset dataset(Object value, String expression) {
        if (!(value instanceof DatasetValue d)) {
            throw new RlxError("error: --data " + expression + " is " + article(RlxSession.typeName(value)) + ", not a dataset "
                    + "(e.g. tasks.addition(digits: 2, count: 200, seed: 2, split: \"test\"))", null);
        }
        if (d.dataset().size() == 0) {
            throw new RlxError("error: --data " + expression + " has no rows", null);
        }
        return d.dataset();
    }

    /** The metric's rewards, from a reward (sum) or a function of one sample (the value of --metric). */
    public static RewardEvaluator metric(RlxSession session, Object value, String expression) {
        RlxReward reward;
        if (value instanceof RlxReward r) {
            reward = r;
        } else if (value instanceof RlxFunction f) {
            reward = RlxReward.named(f.name(), f);
        } else {
            throw new RlxError("error: --metric " + expression + " is " + article(RlxSession.typeName(value)) + ", not a reward "
                    + "(name one: rw.exact_match, or a reward of the run's script such as correct)", null);
        }
        return new ScriptRewards(session, reward, Duration.ofSeconds(10), false);
    }

    private static String article(String type) {
        return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    public static Result run(CausalLM policy, Tokenizer tokenizer, Dataset data, RewardEvaluator metric, String metricName,
                             Decoding d, int samples, List<Integer> ks) {
        int n = data.size();
        int correct = 0;
        double rewardSum = 0;
        for (int from = 0; from < n; from += CHUNK) {
            List<Row> rows = data.rows().subList(from, Math.min(n, from + CHUNK));
            // greedy ignores the seed; the run's eval passes one all the same, so this does too
            Scored s = score(policy, tokenizer, rows, 1, metric, params(d, true).seed(Shuffle.seed(d.seed(), 0, -1)).build());
            for (int r = 0; r < rows.size(); r++) {
                if (s.correct[r]) correct++;
                rewardSum += s.scores[r];
            }
        }
        Map<Integer, Double> pass = new LinkedHashMap<>();
        double sampled = Double.NaN;
        if (samples > 0) {
            int[] right = new int[n];
            int perBatch = Math.max(1, CHUNK / samples);
            int batch = 0;
            for (int from = 0; from < n; from += perBatch, batch++) {
                List<Row> rows = data.rows().subList(from, Math.min(n, from + perBatch));
                Scored s = score(policy, tokenizer, rows, samples, metric,
                        params(d, false).seed(Shuffle.seed(d.seed(), batch, 1)).build());
                for (int i = 0; i < s.correct.length; i++) {
                    if (s.correct[i]) right[from + i / samples]++;
                }
            }
            long all = 0;
            for (int c : right) all += c;
            sampled = all / ((double) n * samples);
            for (int k : ks) pass.put(k, PassAtK.mean(samples, right, k));
        }
        return new Result(n, correct, correct / (double) n, rewardSum / n, samples, sampled, pass, metricName);
    }

    private static SamplingParams.Builder params(Decoding d, boolean greedy) {
        return SamplingParams.builder().maxTokens(d.maxTokens()).greedy(greedy).temperature(d.temperature())
                .topK(d.topK()).topP(d.topP()).stopStrings(d.stop());
    }

    private record Scored(boolean[] correct, double[] scores) {}

    /** {@code copies} completions of each row (contiguous), each scored by the metric. */
    private static Scored score(CausalLM policy, Tokenizer tokenizer, List<Row> rows, int copies, RewardEvaluator metric,
                                SamplingParams params) {
        List<int[]> ids = new ArrayList<>();
        List<Row> expanded = new ArrayList<>();
        for (Row row : rows) {
            int[] enc = tokenizer.encodeWithBos(row.prompt());
            for (int c = 0; c < copies; c++) {
                ids.add(enc);
                expanded.add(row);
            }
        }
        Generation gen = KvCacheSampler.generate(policy, tokenizer, ids, params);
        List<Sample> samples = new ArrayList<>();
        for (int r = 0; r < gen.batchSize(); r++) {
            Row row = expanded.get(r);
            samples.add(new Sample(row.prompt(), gen.texts()[r], gen.response(r), gen.lengths()[r], gen.finishReasons()[r],
                    row.answer(), row.fields(), r));
        }
        RewardEvaluator.Rewards rw = metric.evaluate(samples);
        boolean[] ok = new boolean[samples.size()];
        double[] scores = new double[samples.size()];
        for (int r = 0; r < ok.length; r++) {
            ok[r] = rw.values()[r][0] >= TrainSchema.CORRECT_SCORE;
            scores[r] = rw.score(r);
        }
        return new Scored(ok, scores);
    }
}
