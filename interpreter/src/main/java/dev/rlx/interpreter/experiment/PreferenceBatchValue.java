package dev.rlx.interpreter.experiment;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.pref.PreferenceBatch;
import dev.rlx.engine.tensor.Tensor;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.MemberValue.Unavailable;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.Collection;

/**
 * The batch record `b` a preference loss sees: `b.chosen_logp`, `b.ref_rejected_logp`, `b.kl`, ... (for labeled
 * completions `b.logp`, `b.logratio`, `b.desirable`, ...; for scored completions `b.scores`, `b.reference_scores`
 * and the same per-row fields) as tensors
 * (see {@link PreferenceBatch}), read lazily so `b.kl` costs its forward passes only when a loss reads it. Reading
 * a reference field in an experiment without a reference, or a contrastive-prompt field without `contrast`, is an
 * error at the read, saying how to get one.
 */
public final class PreferenceBatchValue implements EngineValue, MemberValue {
    private final PreferenceBatch batch;

    public PreferenceBatchValue(PreferenceBatch batch) {
        this.batch = batch;
    }

    @Override
    public String typeName() {
        return "preference batch";
    }

    @Override
    @TruffleBoundary
    public String display() {
        return "<preference batch " + batch.size() + " " + kindName() + ">";
    }

    @Override
    @TruffleBoundary
    public Object member(String name) {
        if (!batch.fields().contains(name)) {
            if (PreferenceBatch.CONTRAST_PAIR_FIELDS.contains(name)
                    || PreferenceBatch.CONTRAST_LABELED_FIELDS.contains(name)) {
                if (!batch.contrast()) {
                    throw new Unavailable("the batch has no " + name + ": this experiment sets no contrastive prompts",
                            "set `contrast: {better: \"...\", worse: \"...\"}` in its preference record (T-REG, "
                                    + "std/recipes/t_reg)");
                }
                throw new Unavailable("the batch has no " + name + ": this experiment trains on " + kindName(),
                        "its fields are " + String.join(", ", batch.fields()));
            }
            if (batch.kind() != Dataset.Kind.PAIRS && (PreferenceBatch.LABELED_FIELDS.contains(name)
                    || PreferenceBatch.SCORED_FIELDS.contains(name))) {
                // desirable on scored rows, scores on labeled rows: the other single-completion form's field (checked
                // before the pair fields, since a pair batch also has a desirable)
                throw new Unavailable("the batch has no " + name + ": this experiment trains on " + kindName(),
                        "its fields are " + String.join(", ", batch.fields()) + " (scores and reference_scores "
                                + "come with scored data: sample_scored or tasks.jsonl(..., completion:, score:, "
                                + "reference_scores:); desirable with labeled data: tasks.unpaired or "
                                + "tasks.jsonl(..., completion:, desirable:))");
            }
            if (batch.kind() != Dataset.Kind.PAIRS && PreferenceBatch.PAIR_FIELDS.contains(name)) {
                throw new Unavailable("the batch has no " + name + ": this experiment trains on " + kindName()
                        + ", not pairs", "its fields are " + String.join(", ", batch.fields())
                        + " (a pair loss needs pair data: tasks.preferences or tasks.jsonl(..., chosen:, rejected:))");
            }
            if (batch.kind() == Dataset.Kind.PAIRS && (PreferenceBatch.LABELED_FIELDS.contains(name)
                    || PreferenceBatch.SCORED_FIELDS.contains(name))) {
                throw new Unavailable("the batch has no " + name + ": this experiment trains on pairs, whose rows "
                        + "are chosen_* and rejected_*", "its fields are " + String.join(", ", batch.fields()));
            }
            return null;
        }
        Tensor t = batch.field(name);
        if (t == null) {
            throw new Unavailable("the batch has no " + name + ": this experiment keeps no reference model",
                    "set `reference: true` in its preference record (the DPO, IPO, KTO and QRPO losses need one)");
        }
        return new TensorValue(t);
    }

    private String kindName() {
        return switch (batch.kind()) {
            case LABELED -> "unpaired labeled completions";
            case SCORED -> "scored completions";
            default -> "pairs";
        };
    }

    @Override
    public Collection<String> memberNames() {
        return batch.fields();
    }
}
