package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Offline preference data as token ids for a policy: pairs, or unpaired labeled completions. The prompt gets BOS
 * first (as the sampler encodes it), each completion EOS after it when the tokenizer has one (as a sampled
 * completion that stopped looks, and as SFT teaches responses to end). Rows that cannot be trained on are
 * refused, naming the row.
 */
public final class PairEncoder {
    private PairEncoder() {}

    /**
     * Every row of a pair dataset or a labeled dataset, in order (all {@link TokenPair}s or all
     * {@link LabeledTokens}); {@code context} is the model's window.
     */
    public static List<PreferenceExample> encode(Dataset data, Tokenizer tokenizer, int context) {
        if (!data.isPairs() && !data.isLabeled()) {
            throw new DataException(data.name() + " holds neither preference pairs (rows with chosen and rejected) "
                    + "nor labeled completions (rows with completion and desirable); make pairs with "
                    + "tasks.preferences(...) or tasks.jsonl(..., chosen:, rejected:), labeled rows with "
                    + "tasks.unpaired(pairs) or tasks.jsonl(..., completion:, desirable:)");
        }
        if (data.size() == 0) {
            throw new DataException(data.name() + " holds no rows");
        }
        List<PreferenceExample> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Row row = data.get(i);
            String where = data.name() + " row " + (i + 1);
            int[] p = tokenizer.encodeWithBos(row.prompt());
            if (p.length == 0) {
                throw new DataException(where + ": the prompt is empty and the tokenizer has no BOS token to start from");
            }
            if (data.isLabeled()) {
                int[] c = completion(tokenizer, LabeledCompletions.completion(row), "", p.length, context, where);
                out.add(new LabeledTokens(p, c, LabeledCompletions.desirable(row)));
            } else {
                int[] c = completion(tokenizer, PreferencePairs.chosen(row), "chosen ", p.length, context, where);
                int[] r = completion(tokenizer, PreferencePairs.rejected(row), "rejected ", p.length, context, where);
                Double margin = PreferencePairs.margin(row);
                out.add(new TokenPair(p, c, r, margin == null ? 0.0 : margin));
            }
        }
        return out;
    }

    /** The completion's ids (EOS added); {@code role} names it in errors ("chosen ", "rejected " or ""). */
    private static int[] completion(Tokenizer tokenizer, String text, String role, int promptLength, int context,
                                    String where) {
        int[] ids = tokenizer.encode(text);
        if (tokenizer.eosId() >= 0) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = tokenizer.eosId();
        }
        // an empty text is still a completion when EOS ends it (a sampled answer that stopped at once)
        if (ids.length == 0) throw new DataException(where + ": the " + role + "completion is empty");
        if (promptLength + ids.length > context) {
            throw new DataException(where + ": prompt + " + role + "completion (" + (promptLength + ids.length)
                    + " tokens) exceeds the model's context of " + context);
        }
        return ids;
    }
}
