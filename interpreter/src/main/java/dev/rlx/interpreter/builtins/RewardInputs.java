package dev.rlx.interpreter.builtins;

import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.interpreter.model.RewardModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.Arrays;

/**
 * How reward-model builtins turn script values into token ids, the same way for scoring and for training. A
 * prompt string is encoded with BOS in front, as {@code generate} encodes it. A completion string (or number) is
 * encoded with EOS after it when the tokenizer has one: that is how a completion the policy sampled looks when it
 * stopped at EOS (the sampled ids include the EOS), and how {@code sft} teaches responses to end. Token-id lists are
 * taken as they are.
 */
final class RewardInputs {
    private final BuiltinNode node;
    private final RewardModelValue rm;

    RewardInputs(BuiltinNode node, RewardModelValue rm) {
        this.node = node;
        this.rm = rm;
    }

    /** The id that fills padding (masked out of attention, so any id in the vocabulary will do). */
    int pad() {
        return Math.max(0, rm.padTokenId());
    }

    /** A prompt: never empty, ids of the vocabulary. */
    int[] prompt(Object v, String what) {
        int[] ids;
        if (v instanceof String s) {
            ids = tokenizer(what).encodeWithBos(s);
            if (ids.length == 0) {
                throw node.error(what + " is empty and the tokenizer has no BOS token to start from");
            }
        } else if (v instanceof RlxList l) {
            ids = EngineArgs.tokens(node, what, l);
            if (ids.length == 0) {
                throw node.error(what + " is empty");
            }
        } else {
            throw node.error(what + " must be a string or a list of token ids, not " + EngineArgs.show(v));
        }
        return inVocabulary(ids, what);
    }

    int[] completion(Object v, String what) {
        if (v instanceof RlxList l) {
            return inVocabulary(EngineArgs.tokens(node, what, l), what);
        } else if (v instanceof String || v instanceof Long || v instanceof Double) {
            Tokenizer tok = tokenizer(what);
            int[] ids = tok.encode(ValuePrinter.plain(v));
            if (tok.eosId() < 0) {
                return inVocabulary(ids, what);
            }
            int[] out = Arrays.copyOf(ids, ids.length + 1);
            out[ids.length] = tok.eosId();
            return inVocabulary(out, what);
        }
        throw node.error(what + " must be a string, a number or a list of token ids, not " + EngineArgs.show(v));
    }

    /**
     * Prompt and completion must fit the context together: "{where}: {parts} (20 tokens) exceeds the model's context
     * of 16", where {@code parts} names them ("prompt + chosen") and {@code where} (may be empty) says which row.
     */
    void fits(int[] prompt, int[] completion, String where, String parts) {
        int max = rm.model().config().maxPositions();
        int n = prompt.length + completion.length;
        if (n > max) {
            throw node.error((where.isEmpty() ? "" : where + ": ") + parts + " (" + n
                    + " tokens) exceeds the model's context of " + max);
        }
    }

    private int[] inVocabulary(int[] ids, String what) {
        int vocab = rm.model().config().vocabSize();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= vocab) {
                throw node.error(what + "[" + i + "] = " + ids[i] + " is not in the model's vocabulary of " + vocab);
            }
        }
        return ids;
    }

    private Tokenizer tokenizer(String what) {
        if (rm.tokenizer() == null) {
            throw node.error("the reward model has no tokenizer, so " + what + " must be token ids (lists of ints)");
        }
        return rm.tokenizer().tokenizer();
    }
}
