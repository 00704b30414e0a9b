package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.PreferencePairs;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.data.ScoredCompletions;
import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.rl.Sample;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.nodes.DispatchNode;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.SampleRecords;
import dev.rlx.interpreter.runtime.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preference data made from a policy's own samples: pairs (the data path of iterative / online DPO) and scored
 * completions (QRPO's offline data, the reference scores sampled from the same policy).
 */
public final class PreferenceBuiltins {
    private PreferenceBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            PreferenceBuiltinsFactory.SamplePairsFactory.getInstance(),
            PreferenceBuiltinsFactory.SampleScoredFactory.getInstance());

    /** Prompts sampled together: n completions each, so a chunk is 64 * n rows of one sampler call. */
    private static final int PROMPTS_PER_CALL = 64;

    @Builtin(value = "sample_pairs(policy, data, n, rewards, seed = 0, max_tokens = 16, temperature = 1.0)",
            doc = "preference pairs from the policy's own samples: n completions per prompt of data (sampled at "
                    + "temperature, seeded), each scored by rewards (a reward, a weighted sum of rewards, or a function of a sample record, as "
                    + "in an experiment); the best becomes chosen and the worst rejected (the first of equals); "
                    + "prompts whose n scores are all equal give no pair. Rows keep the prompt's answer and fields "
                    + "and add chosen_score and rejected_score")
    public abstract static class SamplePairs extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object samplePairs(Object policy, Object data, Object n, Object reward, Object seed, Object maxTokens,
                                     Object temperature, @Cached("positional(1)") DispatchNode call) {
            EngineArgs a = EngineArgs.of(this, policy, data, n, reward, seed, maxTokens, temperature);
            ModelValue m = a.model("policy");
            if (m.tokenizer() == null) {
                throw error("policy has no tokenizer: sample_pairs encodes prompts and decodes completions");
            }
            if (!(data instanceof DatasetValue dv) || dv.dataset().size() == 0) {
                throw a.wrongType("data", "a non-empty dataset of prompts (tasks.addition(...), tasks.jsonl(...))");
            }
            int count = (int) a.integer("n");
            if (count < 2) {
                throw error("n must be at least 2 (a pair needs two completions), got " + count);
            }
            List<RewardTerm> terms = terms(this, reward);
            Tokenizer tok = m.tokenizer().tokenizer();
            Dataset source = dv.dataset();
            SampleRecords records = new SampleRecords();
            List<Row> pairs = new ArrayList<>();
            for (int from = 0; from < source.size(); from += PROMPTS_PER_CALL) {
                int to = Math.min(source.size(), from + PROMPTS_PER_CALL);
                Generation g = sample(this, a, m, tok, source, from, to, count);
                for (int p = from; p < to; p++) {
                    Row row = source.get(p);
                    int best = -1;
                    int worst = -1;
                    double[] scores = new double[count];
                    String[] texts = new String[count];
                    for (int k = 0; k < count; k++) {
                        int r = (p - from) * count + k;
                        Sample s = new Sample(row.prompt(), g.texts()[r], g.response(r), g.lengths()[r],
                                g.finishReasons()[r], row.answer(), row.fields(), p);
                        texts[k] = s.completion();
                        scores[k] = score(this, terms, records.record(s), call);
                        if (best < 0 || scores[k] > scores[best]) best = k;
                        if (worst < 0 || scores[k] < scores[worst]) worst = k;
                    }
                    if (scores[best] == scores[worst]) continue;
                    Map<String, Object> fields = new LinkedHashMap<>(row.fields());
                    fields.put(PreferencePairs.CHOSEN, texts[best]);
                    fields.put(PreferencePairs.REJECTED, texts[worst]);
                    fields.put("chosen_score", scores[best]);
                    fields.put("rejected_score", scores[worst]);
                    fields.remove(PreferencePairs.MARGIN);
                    pairs.add(new Row(row.prompt(), row.answer(), fields));
                }
            }
            return new DatasetValue(new Dataset("sample_pairs(" + source.name() + ")", pairs, source.tokenizer(),
                    Dataset.Kind.PAIRS));
        }
    }

    @Builtin(value = "sample_scored(policy, data, n, k, rewards, seed = 0, max_tokens = 16, temperature = 1.0)",
            doc = "QRPO's scored completions from the policy's own samples (the policy is the reference): per prompt "
                    + "of data, k reference completions and n more to train on (sampled at temperature, seeded), each "
                    + "scored by rewards (as in sample_pairs); one row per training completion, with completion, "
                    + "score (its reward) and reference_scores (the k reference scores of its prompt). Rows keep the "
                    + "prompt's answer and fields")
    public abstract static class SampleScored extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object sampleScored(Object policy, Object data, Object n, Object k, Object reward, Object seed,
                                      Object maxTokens, Object temperature,
                                      @Cached("positional(1)") DispatchNode call) {
            EngineArgs a = EngineArgs.of(this, policy, data, n, k, reward, seed, maxTokens, temperature);
            ModelValue m = a.model("policy");
            if (m.tokenizer() == null) {
                throw error("policy has no tokenizer: sample_scored encodes prompts and decodes completions");
            }
            if (!(data instanceof DatasetValue dv) || dv.dataset().size() == 0) {
                throw a.wrongType("data", "a non-empty dataset of prompts (tasks.addition(...), tasks.jsonl(...))");
            }
            int train = (int) a.integer("n");
            if (train < 1) throw error("n (completions to train on per prompt) must be at least 1, got " + train);
            int refs = (int) a.integer("k");
            if (refs < 1) throw error("k (reference samples per prompt) must be at least 1, got " + refs);
            List<RewardTerm> terms = terms(this, reward);
            Tokenizer tok = m.tokenizer().tokenizer();
            Dataset source = dv.dataset();
            SampleRecords records = new SampleRecords();
            List<Row> rows = new ArrayList<>();
            int count = refs + train;
            for (int from = 0; from < source.size(); from += PROMPTS_PER_CALL) {
                int to = Math.min(source.size(), from + PROMPTS_PER_CALL);
                Generation g = sample(this, a, m, tok, source, from, to, count);
                for (int p = from; p < to; p++) {
                    Row row = source.get(p);
                    // the first k samples of a prompt are its reference samples, the other n its training rows:
                    // all from one policy, so the training rows are reference samples too, scored against the others
                    List<Double> reference = new ArrayList<>(refs);
                    for (int j = 0; j < count; j++) {
                        int r = (p - from) * count + j;
                        Sample s = new Sample(row.prompt(), g.texts()[r], g.response(r), g.lengths()[r],
                                g.finishReasons()[r], row.answer(), row.fields(), p);
                        double score = score(this, terms, records.record(s), call);
                        if (j < refs) {
                            reference.add(score);
                            continue;
                        }
                        Map<String, Object> fields = new LinkedHashMap<>(row.fields());
                        fields.put(ScoredCompletions.COMPLETION, s.completion());
                        fields.put(ScoredCompletions.SCORE, score);
                        fields.put(ScoredCompletions.REFERENCE_SCORES, List.copyOf(reference));
                        rows.add(new Row(row.prompt(), row.answer(), fields));
                    }
                }
            }
            return new DatasetValue(new Dataset("sample_scored(" + source.name() + ")", rows, source.tokenizer(),
                    Dataset.Kind.SCORED));
        }
    }

    /** n completions of each prompt of source[from, to), sampled in one call, seeded by the prompts' position. */
    private static Generation sample(BuiltinNode node, EngineArgs a, ModelValue m, Tokenizer tok, Dataset source,
                                     int from, int to, int n) {
        List<int[]> prompts = new ArrayList<>();
        for (int p = from; p < to; p++) {
            int[] ids = tok.encodeWithBos(source.get(p).prompt());
            ModelBuiltins.checkTokens(node, m, ids, "data row " + (p + 1) + " prompt");
            for (int k = 0; k < n; k++) prompts.add(ids);
        }
        SamplingParams params = SamplingParams.builder().maxTokens(a.integer("max_tokens")).greedy(false)
                .temperature(a.number("temperature")).seed(Shuffle.seed(a.longValue("seed"), from, 0x9A125)).build();
        return a.engine(() -> KvCacheSampler.generate(m.model(), tok, prompts, params));
    }

    private record RewardTerm(String name, double weight, RlxFunction function) {}

    private static List<RewardTerm> terms(BuiltinNode node, Object reward) {
        List<RewardTerm> out = new ArrayList<>();
        if (reward instanceof RlxReward r) {
            for (RlxReward.Term t : r.terms()) out.add(new RewardTerm(t.name(), t.weight(), t.function()));
        } else if (reward instanceof RlxFunction f) {
            out.add(new RewardTerm(f.name(), 1.0, f));
        } else {
            throw node.error("rewards must be a reward or a function of one sample, not " + Types.name(reward));
        }
        return out;
    }

    /** The weighted sum of the reward terms on one sample record; a non-finite or non-number value is an error. */
    private static double score(BuiltinNode node, List<RewardTerm> terms, Object record, DispatchNode call) {
        double total = 0;
        for (RewardTerm t : terms) {
            if (t.weight() == 0.0) continue;
            Object v = call.execute(t.function(), new Object[] {record});
            if (v instanceof Long l) total += t.weight() * l;
            else if (v instanceof Double d && Double.isFinite(d)) total += t.weight() * d;
            else throw node.error("reward '" + t.name() + "' returned " + Types.name(v) + "; " + node.builtinName()
                        + " needs a finite number per sample");
        }
        return total;
    }
}
