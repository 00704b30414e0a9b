package dev.rlx.engine.rl;

import dev.rlx.engine.data.Shuffle;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.sample.Generation;
import dev.rlx.engine.sample.KvCacheSampler;
import dev.rlx.engine.sample.SamplingParams;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Periodic evaluation: completions of the held-out prompts (greedy unless asked otherwise, in batches of 64,
 * with the rollout's limits), accuracy = the share the eval metric accepts. RL runs and preference runs share it.
 */
public final class Evaluator {
    private static final int CHUNK = 64;
    private final RlPlan.Eval ev;
    private final RlPlan.Rollout ro;
    private final Tokenizer tokenizer;
    private final long seed;

    Evaluator(RlPlan plan) {
        this(plan.eval(), plan.rollout(), plan.tokenizer(), plan.seed());
    }

    /** Evaluates on {@code eval}'s prompts, decoding with {@code rollout}'s limits and sampling settings. */
    public Evaluator(RlPlan.Eval eval, RlPlan.Rollout rollout, Tokenizer tokenizer, long seed) {
        this.ev = eval;
        this.ro = rollout;
        this.tokenizer = tokenizer;
        this.seed = seed;
    }

    public double accuracy(CausalLM policy, int step) {
        int n = ev.limit() > 0 ? Math.min(ev.limit(), ev.data().size()) : ev.data().size();
        int correct = 0;
        for (int from = 0; from < n; from += CHUNK) {
            List<PromptSource.Prompt> ps = new ArrayList<>();
            List<int[]> ids = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + CHUNK); i++) {
                PromptSource.Prompt p = ev.data().get(i);
                ps.add(p);
                ids.add(tokenizer.encodeWithBos(p.text()));
            }
            Generation gen = KvCacheSampler.generate(policy, tokenizer, ids, SamplingParams.builder()
                    .maxTokens(ro.maxTokens()).greedy(ev.greedy()).temperature(ro.temperature()).topK(ro.topK())
                    .topP(ro.topP()).stopStrings(ro.stop()).seed(Shuffle.seed(seed, step, -1)).build());
            for (int r = 0; r < gen.batchSize(); r++) {
                PromptSource.Prompt p = ps.get(r);
                Sample smp = new Sample(p.text(), gen.texts()[r], gen.response(r), gen.lengths()[r],
                        gen.finishReasons()[r], p.answer(), p.fields(), r);
                if (ev.correct().correct(smp)) correct++;
            }
        }
        return correct / (double) n;
    }
}
