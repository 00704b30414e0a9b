package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Preference pairs as token ids for a policy: the prompt with BOS first (as the sampler encodes it), each
 * completion with EOS after it when the tokenizer has one (as a sampled completion that stopped looks, and as
 * SFT teaches responses to end). Pairs that cannot be trained on are refused, naming the row.
 */
public final class PairEncoder {
    private PairEncoder() {}

    /** Every row of a pair dataset, in order; {@code context} is the model's window. */
    public static List<TokenPair> encode(Dataset pairs, Tokenizer tokenizer, int context) {
        if (!pairs.isPairs()) {
            throw new DataException(pairs.name() + " does not hold preference pairs (rows with chosen and rejected); "
                    + "make them with tasks.preferences(...) or tasks.jsonl(..., chosen:, rejected:)");
        }
        if (pairs.size() == 0) {
            throw new DataException(pairs.name() + " holds no pairs");
        }
        List<TokenPair> out = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            Row row = pairs.get(i);
            String where = pairs.name() + " row " + (i + 1);
            int[] p = tokenizer.encodeWithBos(row.prompt());
            int[] c = completion(tokenizer, PreferencePairs.chosen(row));
            int[] r = completion(tokenizer, PreferencePairs.rejected(row));
            if (p.length == 0) {
                throw new DataException(where + ": the prompt is empty and the tokenizer has no BOS token to start from");
            }
            for (int[] part : new int[][] {c, r}) {
                String name = part == c ? "chosen" : "rejected";
                if (part.length == 0) throw new DataException(where + ": the " + name + " completion is empty");
                if (p.length + part.length > context) {
                    throw new DataException(where + ": prompt + " + name + " (" + (p.length + part.length)
                            + " tokens) exceeds the model's context of " + context);
                }
            }
            Double margin = PreferencePairs.margin(row);
            out.add(new TokenPair(p, c, r, margin == null ? 0.0 : margin));
        }
        return out;
    }

    private static int[] completion(Tokenizer tokenizer, String text) {
        int[] ids = tokenizer.encode(text);
        if (tokenizer.eosId() < 0) return ids;
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = tokenizer.eosId();
        return out;
    }
}
