package dev.rlx.interpreter.experiment;

import dev.rlx.engine.reward.ModelRewardScorer;
import dev.rlx.engine.rl.RewardEvaluator;
import dev.rlx.engine.rl.Sample;
import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.model.ModelReward;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.SampleRecords;
import dev.rlx.interpreter.runtime.Values;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.runtime.ValuePrinter;
import dev.rlx.interpreter.tensor.TensorValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment's rewards, evaluated per completion through the interpreter: each term of the
 * weighted sum is a script function of the sample record {prompt, completion, answer, tokens, length,
 * finish, ...the data row's other fields}. A term that returns a list (or 1-d tensor) of per-token
 * values is dense: it goes into `rewards [B,T]` (weighted) and is logged as its sum. A failing term stops
 * the run with the script location and the sample, or, with on_reward_error "zero", scores 0 and is
 * counted (the engine logs the step's count as `reward_errors`).
 */
final class ScriptRewards implements RewardEvaluator {
    private final List<String> names = new ArrayList<>();
    private final double[] weights;
    private final List<FunctionHandle> handles = new ArrayList<>();
    private final List<RlxFunction> functions = new ArrayList<>();
    private final boolean zeroOnError;
    /** Terms that have returned per-token values: they are in rewards [B,T], so they weigh 0 in the score. */
    private final boolean[] isDense;
    /** Per term: the engine scorer of a reward-model term (scored for all samples at once), else null. */
    private final ModelRewardScorer[] scorers;
    /** Time spent in reward-model scoring since the engine last took it (its step's time split). */
    private long modelNanos;
    private final boolean hasModelTerms;

    ScriptRewards(RlxSession session, RlxReward reward, Duration timeout, boolean zeroOnError) {
        this.zeroOnError = zeroOnError;
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Double> w = new ArrayList<>();
        for (RlxReward.Term t : reward.terms()) {
            int n = seen.merge(t.name(), 1, Integer::sum);
            names.add(n == 1 ? t.name() : t.name() + "_" + n); // the same reward twice logs as name, name_2
            w.add(t.weight());
            handles.add(FunctionErrors.oneArgument(session, t.function(), "reward '" + names.getLast() + "'",
                    "the sample record", timeout, "train.reward_timeout"));
            functions.add(t.function());
        }
        weights = w.stream().mapToDouble(Double::doubleValue).toArray();
        isDense = new boolean[handles.size()];
        scorers = new ModelRewardScorer[handles.size()];
        for (int t = 0; t < scorers.length; t++) {
            if (reward.terms().get(t).batched() instanceof ModelReward m) {
                scorers[t] = m.newScorer();
                isDense[t] = m.tokens();
            }
        }
        hasModelTerms = !modelTerms(reward).isEmpty();
    }

    /** The reward models of model terms (to check them against the policy), in term order. */
    static List<ModelReward> modelTerms(RlxReward reward) {
        List<ModelReward> out = new ArrayList<>();
        for (RlxReward.Term t : reward.terms()) {
            if (t.batched() instanceof ModelReward m) out.add(m);
        }
        return out;
    }

    /** The running normalizers of model terms, by term name (null when none normalizes). */
    @Override
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int t = 0; t < scorers.length; t++) {
            if (scorers[t] != null && scorers[t].state() != null) out.put(names.get(t), scorers[t].state());
        }
        return out.isEmpty() ? null : out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restoreState(Map<String, Object> state) {
        for (int t = 0; t < scorers.length; t++) {
            if (scorers[t] != null && state.get(names.get(t)) instanceof Map<?, ?> m) {
                scorers[t].restore((Map<String, Object>) m);
            }
        }
    }

    /** Model terms' values for every sample, one batched engine call per term (null for script terms). */
    private ModelRewardScorer.Scores[] modelScores(List<Sample> samples) {
        ModelRewardScorer.Scores[] out = new ModelRewardScorer.Scores[scorers.length];
        for (int t = 0; t < scorers.length; t++) {
            if (scorers[t] == null) continue;
            long start = System.nanoTime();
            try {
                out[t] = scorers[t].score(samples);
            } catch (RuntimeException e) {
                throw FunctionErrors.at(functions.get(t), "reward '" + names.get(t) + "' (a reward model) failed: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()));
            } finally {
                modelNanos += System.nanoTime() - start;
            }
        }
        return out;
    }

    @Override
    public long takeModelNanos() {
        long taken = modelNanos;
        modelNanos = 0;
        return hasModelTerms ? taken : -1;
    }

    /** The terms' names, as logged (a reward used twice is name, name_2). */
    List<String> names() {
        return List.copyOf(names);
    }

    double[] weights() {
        return weights.clone();
    }

    /** Whether term {@code t} has returned per-token values (a dense reward). */
    boolean isDenseTerm(int t) {
        return isDense[t];
    }

    /** Term {@code t}'s function (errors point at it). */
    RlxFunction function(int t) {
        return functions.get(t);
    }

    /** The first term's name (an eval metric is usually a single reward). */
    String firstName() {
        return names.get(0);
    }

    @Override
    public Rewards evaluate(List<Sample> samples) {
        int k = handles.size();
        double[][] values = new double[samples.size()][names.size()];
        int[] errors = zeroOnError ? new int[samples.size()] : null;
        float[][] dense = null;
        ModelRewardScorer.Scores[] model = modelScores(samples);
        for (int b = 0; b < samples.size(); b++) {
            Sample s = samples.get(b);
            RlxRecord record = record(s);
            for (int t = 0; t < k; t++) {
                if (model[t] != null) {
                    values[b][t] = model[t].values()[b];
                    if (model[t].perToken() != null) {
                        if (dense == null) dense = new float[samples.size()][];
                        if (dense[b] == null) dense[b] = new float[s.length()];
                        float[] r = model[t].perToken()[b];
                        for (int i = 0; i < r.length; i++) dense[b][i] += (float) (weights[t] * r[i]);
                    }
                    continue;
                }
                Object v;
                try {
                    v = handles.get(t).call(record);
                } catch (RlxError e) {
                    if (zeroOnError) {
                        errors[b]++;
                        continue;
                    }
                    throw new RlxError(e.formatted() + "\n  while scoring reward '" + names.get(t) + "' on sample "
                            + ValuePrinter.display(record) + "\n  hint: to score failing rewards 0 instead (counted as "
                            + "reward_errors), set on_reward_error: \"zero\" in the experiment", e);
                }
                if (v instanceof Long l) {
                    values[b][t] = l;
                } else if (v instanceof Double d) {
                    values[b][t] = d;
                } else if (v instanceof Boolean bool) {
                    values[b][t] = bool ? 1 : 0;
                } else if (v instanceof RlxList || v instanceof TensorValue) {
                    double[] perToken = perToken(v, s, t);
                    isDense[t] = true;
                    if (dense == null) {
                        dense = new float[samples.size()][];
                    }
                    if (dense[b] == null) {
                        dense[b] = new float[s.length()];
                    }
                    double sum = 0;
                    for (int i = 0; i < perToken.length; i++) {
                        dense[b][i] += (float) (weights[t] * perToken[i]);
                        sum += perToken[i];
                    }
                    values[b][t] = sum;
                } else {
                    throw FunctionErrors.at(functions.get(t), "reward '" + names.get(t) + "' returned a "
                            + Types.name(v) + "; expected a number per sample or a list of per-token numbers\n  sample: "
                            + ValuePrinter.display(record));
                }
            }
        }
        if (dense != null) {
            // dense terms are in rewards [B,T] already; they must not count twice in the score
            double[] w = weights.clone();
            for (int t = 0; t < k; t++) {
                if (isDense[t]) {
                    w[t] = 0;
                }
            }
            return new Rewards(names, w, values, dense, errors);
        }
        return new Rewards(names, weights, values, null, errors);
    }

    private double[] perToken(Object v, Sample s, int term) {
        String name = names.get(term);
        Object list = v instanceof TensorValue tv ? tv.toList() : v;
        RlxList items = (RlxList) list;
        if (items.size() != s.length()) {
            throw FunctionErrors.at(functions.get(term), "dense reward '" + name + "' returned " + items.size()
                    + " values; expected one per completion token (" + s.length() + ")");
        }
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object x = items.get(i);
            if (!(x instanceof Long) && !(x instanceof Double)) {
                throw FunctionErrors.at(functions.get(term), "dense reward '" + name + "' returned a " + Types.name(x)
                        + " at position " + i + "; expected numbers");
            }
            out[i] = ((Number) x).doubleValue();
        }
        return out;
    }

    /** The sample record a reward sees ({@link SampleRecords}). */
    RlxRecord record(Sample s) {
        return records.record(s);
    }

    private final SampleRecords records = new SampleRecords();
}
