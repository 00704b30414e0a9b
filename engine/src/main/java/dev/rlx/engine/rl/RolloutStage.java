package dev.rlx.engine.rl;

import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stage 1 of a step: prompts (chosen by the {@link PromptSelector}: the run's seeded order unless the experiment
 * declares a selection rule, which then learns from every group's accuracy) -> {@code group} sampled completions
 * each -> every reward term per completion. With dynamic sampling, groups that teach nothing (all scores equal) or whose
 * accuracy is outside the window are dropped and new prompts sampled, up to {@code max_retries} extra rounds.
 * With a greedy baseline, each kept prompt also gets one greedy completion, scored by the same rewards (ReMax).
 */
final class RolloutStage {
    /**
     * One sampled completion: its tokens and the log-prob the sampler gave each, its reward terms (unweighted),
     * dense rewards and failed reward calls.
     */
    record Completion(int[] tokens, float[] logprobs, String text, String finish, double[] terms, float[] dense,
                      int errors) {}

    /** A prompt and its completions; {@code baselineScore} is the greedy completion's score (NaN without one). */
    record Group(PromptSource.Prompt prompt, int[] promptTokens, List<Completion> completions, double baselineScore) {}

    /**
     * The step's kept groups and the bookkeeping the log needs: term names and weights, dropped groups,
     * sampling rounds, failed reward calls (every round, baseline included), and the time spent sampling,
     * scoring rewards and making baseline rollouts.
     */
    record Result(List<Group> groups, List<String> termNames, double[] weights, int filtered, int rounds,
                  int rewardErrors, long samplingNanos, long rewardNanos, long baselineNanos) {}

    private final RlPlan plan;
    private final Tokenizer tokenizer;
    private final PromptSelector selector;

    RolloutStage(RlPlan plan, PromptSelector selector) {
        this.plan = plan;
        this.tokenizer = plan.tokenizer();
        this.selector = selector;
    }

    Result run(CausalLM policy, int step) {
        RlPlan.Rollout ro = plan.rollout();
        RlPlan.DynamicSampling dyn = plan.dynamicSampling();
        int g = ro.group();
        List<Group> kept = new ArrayList<>();
        RewardEvaluator.Rewards first = null;
        long samplingNs = 0;
        long rewardNs = 0;
        int filtered = 0;
        int rounds = 0;
        int errors = 0;
        selector.beginStep(step);
        while (true) {
            int need = plan.batch() - kept.size();
            List<PromptSource.Prompt> prompts = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            int[] drawn = new int[need];
            for (int i = 0; i < need; i++) {
                drawn[i] = selector.next();
                PromptSource.Prompt p = selector.prompt(drawn[i]);
                prompts.add(p);
                int[] t = tokenizer.encodeWithBos(p.text());
                for (int k = 0; k < g; k++) ids.add(t);
            }
            long a = System.nanoTime();
            Generation gen = KvCacheSampler.generate(policy, tokenizer, ids, sampling(ro, false)
                    .seed(Shuffle.seed(plan.seed(), step, rounds)).build());
            long b = System.nanoTime();
            List<Sample> samples = samples(gen, prompts, g, kept.size());
            RewardEvaluator.Rewards rw = evaluate(samples, first);
            if (first == null) first = rw;
            for (int i = 0; i < samples.size(); i++) errors += rw.errors(i);
            rewardNs += System.nanoTime() - b;
            samplingNs += b - a;
            rounds++;
            if (selector.observes()) observe(samples, drawn, g);
            List<Group> round = new ArrayList<>();
            for (int q = 0; q < need; q++) {
                List<Completion> rows = new ArrayList<>();
                for (int k = 0; k < g; k++) {
                    int r = q * g + k;
                    float[] dense = rw.dense() == null ? null : rw.dense()[r];
                    rows.add(new Completion(gen.response(r), Arrays.copyOf(gen.logprobs()[r], gen.lengths()[r]), gen.texts()[r],
                            gen.finishReasons()[r], rw.values()[r], dense, rw.errors(r)));
                }
                round.add(new Group(prompts.get(q), ids.get(q * g), rows, Double.NaN));
            }
            if (dyn == null) {
                kept.addAll(round);
                break;
            }
            for (int q = 0; q < need; q++) {
                if (keep(rw, samples, q, g, dyn)) kept.add(round.get(q));
                else filtered++;
            }
            if (kept.size() >= plan.batch() || rounds > dyn.maxRetries()) {
                if (kept.isEmpty()) kept.addAll(round); // nothing to learn from; keep the step's shape
                break;
            }
        }
        long baselineNs = 0;
        if (ro.baseline() == RlPlan.Baseline.GREEDY) {
            long t = System.nanoTime();
            BaselineScores bs = greedyBaseline(policy, kept, first);
            kept = bs.groups();
            errors += bs.errors();
            baselineNs = System.nanoTime() - t;
        }
        return new Result(kept, first.names(), first.weights(), filtered, rounds, errors, samplingNs, rewardNs, baselineNs);
    }

    /** Every group of a round, dropped or kept, updates what the selector knows of its prompt. */
    private void observe(List<Sample> samples, int[] rows, int g) {
        for (int q = 0; q < rows.length; q++) {
            int correct = 0;
            for (int k = 0; k < g; k++) if (plan.correctness().correct(samples.get(q * g + k))) correct++;
            selector.observe(rows[q], correct, g);
        }
    }

    /** Whether group q of a round is kept: its scores differ and its accuracy lies in the window (if any). */
    private boolean keep(RewardEvaluator.Rewards rw, List<Sample> samples, int q, int g, RlPlan.DynamicSampling dyn) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < g; k++) {
            double sc = rw.score(q * g + k);
            lo = Math.min(lo, sc);
            hi = Math.max(hi, sc);
        }
        if (!(hi - lo > 0)) return false;
        if (!dyn.filtersAccuracy()) return true;
        int correct = 0;
        for (int k = 0; k < g; k++) if (plan.correctness().correct(samples.get(q * g + k))) correct++;
        double acc = correct / (double) g;
        return (dyn.minAccuracy() == null || acc >= dyn.minAccuracy()) && (dyn.maxAccuracy() == null || acc <= dyn.maxAccuracy());
    }

    private record BaselineScores(List<Group> groups, int errors) {}

    /** One greedy completion per kept prompt, scored with the step's rewards (weighted sum). */
    private BaselineScores greedyBaseline(CausalLM policy, List<Group> kept, RewardEvaluator.Rewards first) {
        List<PromptSource.Prompt> prompts = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (Group gr : kept) {
            prompts.add(gr.prompt());
            ids.add(gr.promptTokens());
        }
        Generation gen = KvCacheSampler.generate(policy, tokenizer, ids, sampling(plan.rollout(), true).build());
        List<Sample> samples = samples(gen, prompts, 1, 0);
        RewardEvaluator.Rewards rw = evaluate(samples, first);
        List<Group> out = new ArrayList<>();
        int errors = 0;
        for (int q = 0; q < kept.size(); q++) {
            Group gr = kept.get(q);
            out.add(new Group(gr.prompt(), gr.promptTokens(), gr.completions(), rw.score(q)));
            errors += rw.errors(q);
        }
        return new BaselineScores(out, errors);
    }

    private static SamplingParams.Builder sampling(RlPlan.Rollout ro, boolean greedy) {
        return SamplingParams.builder().maxTokens(ro.maxTokens()).greedy(greedy).temperature(ro.temperature())
                .topK(ro.topK()).topP(ro.topP()).stopStrings(ro.stop());
    }

    /** Samples of a generation where each prompt has {@code g} rows; groups are numbered from {@code firstGroup}. */
    private static List<Sample> samples(Generation gen, List<PromptSource.Prompt> prompts, int g, int firstGroup) {
        List<Sample> out = new ArrayList<>();
        for (int r = 0; r < gen.batchSize(); r++) {
            PromptSource.Prompt p = prompts.get(r / g);
            out.add(new Sample(p.text(), gen.texts()[r], gen.response(r), gen.lengths()[r], gen.finishReasons()[r],
                    p.answer(), p.fields(), firstGroup + r / g));
        }
        return out;
    }

    /** The rewards of {@code samples}; the term names must stay those of the step's first evaluation. */
    private RewardEvaluator.Rewards evaluate(List<Sample> samples, RewardEvaluator.Rewards first) {
        RewardEvaluator.Rewards rw = plan.rewards().evaluate(samples);
        if (rw.values().length != samples.size()) {
            throw new IllegalArgumentException("rewards: " + rw.values().length + " rows for " + samples.size() + " samples");
        }
        if (first != null && !first.names().equals(rw.names())) {
            throw new IllegalArgumentException("rewards: term names changed between rollouts: " + first.names() + " vs " + rw.names());
        }
        return rw;
    }
}
