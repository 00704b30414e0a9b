package dev.rlx.engine.pref;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.tensor.Tensor;

/**
 * What a preference loss sees for B pairs, B labeled completions or B scored completions (shared/REFERENCE.md,
 * "Preference losses").
 * Token tensors are [B,T] float32, 0 on padding, T the longest completion of the batch (chosen and rejected
 * share it).
 *
 * <p>For pairs ({@link #PAIR_FIELDS}):
 * <ul>
 *   <li>{@code chosen_logp}, {@code rejected_logp} [B]: the policy's log-prob sums over each completion, with
 *       gradients; {@code chosen_avg}, {@code rejected_avg} [B] the same divided by the completion length</li>
 *   <li>{@code chosen_lengths}, {@code rejected_lengths} [B]; {@code chosen_token_logp},
 *       {@code rejected_token_logp}, {@code chosen_mask}, {@code rejected_mask} [B,T]</li>
 *   <li>{@code ref_*}: the frozen reference's counterparts of the log-prob fields (no gradient), or null without a
 *       reference</li>
 *   <li>{@code nll_chosen} [B]: the chosen completion's mean token NLL, {@code -chosen_avg} (ORPO, RPO)</li>
 *   <li>{@code margin} [B]: the data's margins (0 where a pair has none)</li>
 *   <li>KTO's unpaired view, 2B rows (the chosen completions, then the rejected): {@code logratio} [2B] =
 *       policy sum minus reference sum, {@code desirable} [2B] (1 for chosen rows, 0 for rejected), and
 *       {@code kl} [] the mismatched-pair estimate of KL(policy || reference): the mean over the 2B rows of
 *       {@code logp - ref_logp} of row k's prompt with row k+1's completion (cyclically), without gradient, as TRL's
 *       KTO builds its KL batch; computed on first read</li>
 * </ul>
 *
 * <p>For unpaired labeled completions ({@link #LABELED_FIELDS}, KTO's own data): {@code logp}, {@code avg},
 * {@code lengths} [B], {@code token_logp}, {@code mask} [B,T], their {@code ref_*} counterparts, {@code logratio}
 * [B], {@code desirable} [B] (the data's flags as 1/0) and {@code kl} [] as above over the B rows.
 *
 * <p>For scored completions ({@link #SCORED_FIELDS}, QRPO's data): the labeled rows' fields except
 * {@code desirable}, and instead {@code scores} [B] (each completion's score, its reward) and
 * {@code reference_scores} [B,K] (the scores of K reference-policy samples of its prompt), the data's numbers as
 * float32.
 *
 * <p>With T-REG's contrastive prompts ({@link Contrast}) a batch also has the token log-probs [B,T] of its own
 * completions after the "better" and the "worse" prompt, scored by the contrast's model without gradient, 0 on
 * padding and aligned with the other token fields ({@link #CONTRAST_PAIR_FIELDS}, {@link #CONTRAST_LABELED_FIELDS},
 * the latter also on scored completions);
 * computed on first read.
 */
public final class PreferenceBatch {
    /** Field names of a batch of pairs, as the interpreter exposes them. */
    public static final List<String> PAIR_FIELDS = List.of("chosen_logp", "rejected_logp", "chosen_avg", "rejected_avg",
            "chosen_lengths", "rejected_lengths", "chosen_token_logp", "rejected_token_logp", "chosen_mask",
            "rejected_mask", "ref_chosen_logp", "ref_rejected_logp", "ref_chosen_avg", "ref_rejected_avg",
            "ref_chosen_token_logp", "ref_rejected_token_logp", "nll_chosen", "margin", "logratio", "desirable", "kl");
    /** Field names of a batch of unpaired labeled completions. */
    public static final List<String> LABELED_FIELDS = List.of("logp", "avg", "lengths", "token_logp", "mask",
            "ref_logp", "ref_avg", "ref_token_logp", "logratio", "desirable", "kl");
    /** Field names of a batch of scored completions. */
    public static final List<String> SCORED_FIELDS = List.of("logp", "avg", "lengths", "token_logp", "mask",
            "ref_logp", "ref_avg", "ref_token_logp", "logratio", "scores", "reference_scores", "kl");
    /** What a batch of pairs adds with contrastive prompts. */
    public static final List<String> CONTRAST_PAIR_FIELDS = List.of("better_chosen_token_logp",
            "worse_chosen_token_logp", "better_rejected_token_logp", "worse_rejected_token_logp");
    /** What a batch of labeled (or scored) completions adds with contrastive prompts. */
    public static final List<String> CONTRAST_LABELED_FIELDS = List.of("better_token_logp", "worse_token_logp");

    private final int size;
    private final Dataset.Kind kind;
    private final boolean contrast;
    private final Map<String, Tensor> tensors;
    private final Map<String, Supplier<Tensor>> lazy;

    /** @param kind PAIRS, LABELED or SCORED: what the examples were */
    PreferenceBatch(int size, Dataset.Kind kind, boolean contrast, Map<String, Tensor> tensors,
                    Map<String, Supplier<Tensor>> lazy) {
        if (kind == Dataset.Kind.PROBLEMS) throw new IllegalArgumentException("a preference batch of prompt rows");
        this.size = size;
        this.kind = kind;
        this.contrast = contrast;
        this.tensors = new HashMap<>(tensors);
        this.lazy = new HashMap<>(lazy);
    }

    /** Pairs (or labeled or scored completions) in the batch. */
    public int size() {
        return size;
    }

    /** Whether the batch holds unpaired labeled completions. */
    public boolean labeled() {
        return kind == Dataset.Kind.LABELED;
    }

    /** What the batch's examples are: PAIRS, LABELED or SCORED. */
    public Dataset.Kind kind() {
        return kind;
    }

    /** Whether the batch has the contrastive-prompt fields. */
    public boolean contrast() {
        return contrast;
    }

    /** The field names this batch has. */
    public List<String> fields() {
        List<String> base = switch (kind) {
            case LABELED -> LABELED_FIELDS;
            case SCORED -> SCORED_FIELDS;
            default -> PAIR_FIELDS;
        };
        if (!contrast) return base;
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(kind == Dataset.Kind.PAIRS ? CONTRAST_PAIR_FIELDS : CONTRAST_LABELED_FIELDS);
        return List.copyOf(all);
    }

    /** A field by its .rlx name; null when the run has no such field (the ref_* fields without a reference). */
    public Tensor field(String name) {
        if (!fields().contains(name)) {
            throw new IllegalArgumentException("preference batch has no field " + name + " (fields: " + fields() + ")");
        }
        Tensor t = tensors.get(name);
        if (t == null && lazy.containsKey(name)) {
            t = lazy.remove(name).get();
            tensors.put(name, t);
        }
        return t;
    }
}
