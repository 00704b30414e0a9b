package dev.rlx.engine.pref;

import dev.rlx.engine.data.LabeledTokens;
import dev.rlx.engine.data.PreferenceExample;
import dev.rlx.engine.data.ScoredTokens;
import dev.rlx.engine.model.CausalLM;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything an offline preference run needs (DPO and its family): the policy to train (copied; the original
 * becomes the frozen reference when {@code reference}), the encoded examples (all pairs, all labeled
 * completions: KTO's unpaired data, or all scored completions: QRPO's data), the loss, AdamW and its schedule,
 * {@code steps} optimizer steps of {@code batch} examples drawn in a seeded order (a fresh permutation per pass),
 * optional greedy evaluation decoded with {@code decoding}'s limits, the run folder, and optionally T-REG's
 * contrastive prompts ({@code contrast}, null = off), one pair of prompts per example.
 */
public record PreferencePlan(CausalLM policy, Tokenizer tokenizer, List<PreferenceExample> examples, PreferenceLoss loss,
                             RlPlan.Optimizer optimizer, int steps, int batch, boolean reference, RlPlan.Eval eval,
                             RlPlan.Rollout decoding, int checkpointEvery, int keepLast, long seed, Path runDir,
                             Contrast contrast) {
    /** A plan without contrastive prompts. */
    public PreferencePlan(CausalLM policy, Tokenizer tokenizer, List<PreferenceExample> examples, PreferenceLoss loss,
                          RlPlan.Optimizer optimizer, int steps, int batch, boolean reference, RlPlan.Eval eval,
                          RlPlan.Rollout decoding, int checkpointEvery, int keepLast, long seed, Path runDir) {
        this(policy, tokenizer, examples, loss, optimizer, steps, batch, reference, eval, decoding, checkpointEvery,
                keepLast, seed, runDir, null);
    }

    public PreferencePlan {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(runDir, "runDir");
        examples = List.copyOf(examples);
        if (examples.isEmpty()) throw new IllegalArgumentException("no preference examples to train on");
        PreferenceExample first = examples.getFirst();
        for (PreferenceExample e : examples) {
            if (e.getClass() != first.getClass()) {
                throw new IllegalArgumentException("preference examples mix " + kindName(first) + " and "
                        + kindName(e));
            }
        }
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (decoding == null) decoding = RlPlan.Rollout.defaults();
        if (contrast != null && contrast.better().size() != examples.size()) {
            throw new IllegalArgumentException("contrast has prompts for " + contrast.better().size() + " examples, "
                    + "the plan has " + examples.size());
        }
        if (contrast != null && contrast.scorer() == Contrast.Scorer.REFERENCE && !reference) {
            throw new IllegalArgumentException("contrast scored by the reference needs reference: true");
        }
    }

    /** Whether the examples are unpaired labeled completions. */
    public boolean labeled() {
        return examples.getFirst() instanceof LabeledTokens;
    }

    /** Whether the examples are scored completions. */
    public boolean scored() {
        return examples.getFirst() instanceof ScoredTokens;
    }

    private static String kindName(PreferenceExample e) {
        return switch (e) {
            case LabeledTokens l -> "labeled completions";
            case ScoredTokens s -> "scored completions";
            default -> "pairs";
        };
    }

    PreferencePlan withRunDir(Path dir) {
        return new PreferencePlan(policy, tokenizer, examples, loss, optimizer, steps, batch, reference, eval, decoding,
                checkpointEvery, keepLast, seed, dir, contrast);
    }
}
