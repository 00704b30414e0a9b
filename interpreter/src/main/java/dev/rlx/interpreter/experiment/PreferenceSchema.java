package dev.rlx.interpreter.experiment;

import static dev.rlx.interpreter.experiment.TrainSchema.NONE;
import static dev.rlx.interpreter.experiment.TrainSchema.REQUIRED;
import static dev.rlx.interpreter.experiment.TrainSchema.key;
import static dev.rlx.interpreter.experiment.TrainSchema.keys;

import dev.rlx.interpreter.builtins.ExperimentBuiltins;
import dev.rlx.interpreter.experiment.TrainSchema.Code;
import dev.rlx.interpreter.experiment.TrainSchema.Key;
import dev.rlx.interpreter.experiment.TrainSchema.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a `preference { ... }` record: an offline preference experiment (DPO and its family), trained on
 * pairs without a sampler in the loop. Read by the same checker, reader and help as the train record
 * ({@link TrainSchema}).
 */
public final class PreferenceSchema {
    public static final String TAG = "preference";

    /** Evaluation as in a train record, plus how many tokens a greedy answer may take (no rollout here). */
    public static final Map<String, Key> EVAL;

    static {
        Map<String, Key> eval = new LinkedHashMap<>(TrainSchema.EVAL);
        eval.put("max_tokens", key("max_tokens", Type.INT, 16L, "new tokens per evaluation answer at most"));
        EVAL = java.util.Collections.unmodifiableMap(eval);
    }

    /** T-REG's contrastive prompts: two instructions written in front of every prompt, and who scores after them. */
    public static final Map<String, Key> CONTRAST = keys(
            new Key("better", Type.STRING, REQUIRED, null, null,
                    "the instruction written in front of each prompt (as is) that asks for a better response"),
            new Key("worse", Type.STRING, REQUIRED, null, null,
                    "the instruction written in front of each prompt that asks for a worse response"),
            TrainSchema.choice("model", "reference", List.of("reference", "policy"),
                    "who scores the completions after them: the frozen \"reference\" (T-REG's choice: fixed token "
                            + "rewards; needs reference: true) or the \"policy\" as it trains (no gradient)"));

    public static final Map<String, Key> PREFERENCE = keys(
            new Key("policy", Type.MODEL, REQUIRED, null, null,
                    "the model to train (a copy; the original stays the reference)"),
            new Key("data", Type.DATASET, REQUIRED, null, null,
                    "preference pairs: rows with prompt, chosen and rejected (tasks.preferences, "
                            + "tasks.step_preferences, tasks.jsonl(..., "
                            + "chosen:, rejected:), sample_pairs); or, for KTO, unpaired labeled completions: rows "
                            + "with prompt, completion and desirable (tasks.unpaired, tasks.jsonl(..., completion:, "
                            + "desirable:)); or, for QRPO, scored completions: rows with prompt, completion, score "
                            + "and reference_scores (sample_scored, tasks.jsonl(..., completion:, score:, "
                            + "reference_scores:))"),
            new Key("loss", Type.FUNCTION, REQUIRED, null, null,
                    "(b) => a scalar loss tensor or a {loss, ...} record; b holds chosen_logp, rejected_logp, "
                            + "their ref_ counterparts, ... (:help preference.batch)"),
            key("reference", Type.BOOL, true,
                    "keep a frozen copy of the initial policy for the b.ref_* fields (false for SimPO, ORPO)"),
            new Key("optimizer", Type.OPTIMIZER, new Code("adamw()", List.of()), TrainSchema.OPTIMIZER, null,
                    ExperimentBuiltins.ADAMW + ": " + ExperimentBuiltins.ADAMW_DOC),
            new Key("steps", Type.INT, NONE, null, null,
                    "optimizer steps (none = epochs passes over the data, rounded up to whole batches)"),
            key("epochs", Type.INT, 1L, "passes over the data when steps is none"),
            key("batch", Type.INT, 16L, "pairs (or labeled or scored rows) per optimizer step"),
            new Key("contrast", Type.RECORD, NONE, CONTRAST, null,
                    "T-REG's contrastive prompts {better, worse, model}: b also gets the completions' token log-probs "
                            + "after each instruction + prompt, without gradient (none = off)"),
            new Key("eval", Type.RECORD, NONE, EVAL, null, "periodic greedy evaluation on held-out prompts (none = off)"),
            key("checkpoint_every", Type.INT, 50L, "steps between checkpoints (the last step always checkpoints)"),
            key("keep_checkpoints", Type.INT, 2L, "how many checkpoints to keep"),
            key("seed", Type.INT, 0L, "seeds the order of the data"));

    /** What `b` holds, for the help. */
    public static final String BATCH_DOC = """
            b in a preference loss (B pairs; token fields [B,T], 0 on padding):
              chosen_logp, rejected_logp      [B] log-prob sums over each completion (with gradient)
              chosen_avg, rejected_avg        [B] the sums divided by the completion lengths
              chosen_lengths, rejected_lengths, chosen_token_logp, rejected_token_logp, chosen_mask, rejected_mask
              ref_chosen_logp, ref_rejected_logp, ref_chosen_avg, ref_rejected_avg, ref_*_token_logp
                                              the frozen reference's (reference: true)
              nll_chosen                      [B] mean token NLL of the chosen completion (-chosen_avg)
              margin                          [B] the data's margins (0 where none)
              logratio, desirable             [2B] KTO's unpaired rows (chosen rows, then rejected):
                                              policy minus reference log-prob sum, 1 for chosen rows
              kl                              [] mismatched-pair KL(policy || reference) estimate, no gradient
              better_chosen_token_logp, worse_chosen_token_logp, better_rejected_token_logp,
              worse_rejected_token_logp       [B,T] with contrast: {...}, each completion's token log-probs after the
                                              better / worse instruction + prompt (contrast.model scores, no gradient)
            b on unpaired labeled completions (B rows, KTO's data; no chosen_* / rejected_* fields):
              logp, avg, lengths              [B] each row's log-prob sum (with gradient), its average, its length
              token_logp, mask                [B,T]
              ref_logp, ref_avg, ref_token_logp   the frozen reference's (reference: true)
              logratio, desirable             [B] logp - ref_logp, and the data's flags as 1/0
              kl                              [] as above, over the B rows
              better_token_logp, worse_token_logp [B,T] with contrast: {...}, as above
            b on scored completions (B rows, QRPO's data): the labeled rows' fields but desirable, and
              scores                          [B] each completion's score, its reward (the data's)
              reference_scores                [B,K] the scores of K reference samples of its prompt (the data's)""";

    private PreferenceSchema() {}
}
