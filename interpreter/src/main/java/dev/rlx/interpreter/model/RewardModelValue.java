package dev.rlx.interpreter.model;

import dev.rlx.engine.model.ModelConfig;
import dev.rlx.engine.reward.RewardModel;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A reward model as an .rlx value (immutable: training returns a new one): a causal backbone with a scalar
 * score head. Carries the tokenizer of the model it was made from, and the per-step losses and pair accuracies
 * of the training call that produced it. Members: `rm.arch`, `rm.layers`, `rm.dim`, `rm.vocab`, `rm.context`,
 * `rm.params`, `rm.tokenizer`, `rm.losses`, `rm.accuracies`.
 */
public final class RewardModelValue implements EngineValue, MemberValue {
    private static final List<String> MEMBERS = List.of("arch", "layers", "dim", "vocab", "context", "params",
            "tokenizer", "losses", "accuracies");

    private final RewardModel model;
    private final TokenizerValue tokenizer;
    private final double[] losses;
    private final double[] accuracies;
    private final int folderPadId;

    public RewardModelValue(RewardModel model, TokenizerValue tokenizer, double[] losses, double[] accuracies) {
        this(model, tokenizer, losses, accuracies, -1);
    }

    /** {@code folderPadId}: the pad_token_id of the folder it was loaded from (-1: none), for models without a tokenizer. */
    public RewardModelValue(RewardModel model, TokenizerValue tokenizer, double[] losses, double[] accuracies,
                            int folderPadId) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.losses = losses;
        this.accuracies = accuracies;
        this.folderPadId = folderPadId;
    }

    /**
     * The padding id: the tokenizer's, else the one of the folder it came from; -1 when neither has one. Saved as
     * pad_token_id, which transformers needs to find the last real token of a padded batch.
     */
    public int padTokenId() {
        if (tokenizer != null && tokenizer.tokenizer().padId() >= 0) {
            return tokenizer.tokenizer().padId();
        }
        return folderPadId;
    }

    /** A copy with other weights and training curves (a trained model keeps the tokenizer and padding). */
    public RewardModelValue withModel(RewardModel trained, double[] losses, double[] accuracies) {
        return new RewardModelValue(trained, tokenizer, losses, accuracies, folderPadId);
    }

    public RewardModel model() {
        return model;
    }

    /** The tokenizer, or null. */
    public TokenizerValue tokenizer() {
        return tokenizer;
    }

    @Override
    public String typeName() {
        return "reward model";
    }

    @Override
    public String display() {
        ModelConfig c = model.config();
        return "<reward model " + c.arch() + " " + c.numLayers() + "x" + c.hiddenSize() + " vocab " + c.vocabSize()
                + ", " + ModelValue.count(params()) + " params>";
    }

    /** Backbone and score head ({@link RewardModel#parameters()} leaves out an LM head the backbone carries). */
    private long params() {
        long n = 0;
        for (var p : model.parameters().values()) {
            n += p.size();
        }
        return n;
    }

    @Override
    public String toJson() {
        ModelConfig c = model.config();
        return String.format(Locale.ROOT, "{\"reward_model\": \"%s\", \"layers\": %d, \"dim\": %d, \"vocab\": %d, \"params\": %d}",
                c.arch(), c.numLayers(), c.hiddenSize(), c.vocabSize(), params());
    }

    @Override
    public Object member(String name) {
        ModelConfig c = model.config();
        return switch (name) {
            case "arch" -> c.arch();
            case "layers" -> (long) c.numLayers();
            case "dim" -> (long) c.hiddenSize();
            case "vocab" -> (long) c.vocabSize();
            case "context" -> (long) c.maxPositions();
            case "params" -> params();
            case "tokenizer" -> tokenizer == null ? RlxNone.INSTANCE : tokenizer;
            case "losses" -> list(losses);
            case "accuracies" -> list(accuracies);
            default -> null;
        };
    }

    private static RlxList list(double[] xs) {
        Object[] out = new Object[xs.length];
        for (int i = 0; i < out.length; i++) out[i] = xs[i];
        return new RlxList(out);
    }

    @Override
    public Collection<String> memberNames() {
        return MEMBERS;
    }
}
