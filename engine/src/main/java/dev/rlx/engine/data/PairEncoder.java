package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Offline preference data as token ids for a policy: pairs, unpaired labeled completions, or scored completions.
 * The prompt gets BOS first (as the sampler encodes it), each completion EOS after it when the tokenizer has one
 * (as a sampled completion that stopped looks, and as SFT teaches responses to end), except partial completions
 * (one step of a longer response, {@link PreferencePairs#PARTIAL}), which the response continues after. Rows that
 * cannot be trained on are refused, naming the row.
 */
public final class PairEncoder {
    private PairEncoder() {}

    /**
     * Every row of a pair, labeled or scored dataset, in order (all {@link TokenPair}s, all {@link LabeledTokens}
     * or all {@link ScoredTokens}); {@code context} is the model's window.
     */
    public static List<PreferenceExample> encode(Dataset data, Tokenizer tokenizer, int context) {
        if (!data.isPairs() && !data.isLabeled() && !data.isScored()) {
            throw new DataException(data.name() + " holds neither preference pairs (rows with chosen and rejected) "
                    + "nor labeled completions (rows with completion and desirable) nor scored completions (rows with "
                    + "completion, score and reference_scores); make pairs with "
                    + "tasks.preferences(...) or tasks.jsonl(..., chosen:, rejected:), labeled rows with "
                    + "tasks.unpaired(pairs) or tasks.jsonl(..., completion:, desirable:), scored rows with "
                    + "sample_scored(...) or tasks.jsonl(..., completion:, score:, reference_scores:)");
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
            boolean eos = !PreferencePairs.partial(row);
            if (data.isLabeled()) {
                int[] c = completion(tokenizer, LabeledCompletions.completion(row), "", eos, p.length, context, where);
                out.add(new LabeledTokens(p, c, LabeledCompletions.desirable(row)));
            } else if (data.isScored()) {
                int[] c = completion(tokenizer, ScoredCompletions.completion(row), "", eos, p.length, context, where);
                out.add(new ScoredTokens(p, c, ScoredCompletions.score(row), ScoredCompletions.referenceScores(row)));
            } else {
                int[] c = completion(tokenizer, PreferencePairs.chosen(row), "chosen ", eos, p.length, context, where);
                int[] r = completion(tokenizer, PreferencePairs.rejected(row), "rejected ", eos, p.length, context,
                        where);
                Double margin = PreferencePairs.margin(row);
                out.add(new TokenPair(p, c, r, margin == null ? 0.0 : margin));
            }
        }
        return out;
    }

    /**
     * T-REG's contrastive prompts: every row's prompt text with {@code instruction} written in front of it (as is: add
     * your own separator), encoded with BOS, in row order; {@code encoded} is {@link #encode}'s output for the same
     * rows and {@code name} ("better", "worse") names the instruction in errors. Refused: an instruction the
     * tokenizer writes with an unknown token (the scores after it would say nothing about the instruction), and a
     * row whose instructed prompt and longer completion no longer fit the context.
     */
    public static List<int[]> instructed(Dataset data, List<PreferenceExample> encoded, Tokenizer tokenizer,
                                         int context, String instruction, String name) {
        int unknown = tokenizer.tokenToId("<unk>");
        if (unknown >= 0 && Arrays.stream(tokenizer.encode(instruction)).anyMatch(id -> id == unknown)) {
            throw new DataException("the " + name + " instruction \"" + instruction + "\" has characters the tokenizer "
                    + "cannot write");
        }
        List<int[]> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            int[] p = tokenizer.encodeWithBos(instruction + data.get(i).prompt());
            int longest = switch (encoded.get(i)) {
                case TokenPair t -> Math.max(t.chosen().length, t.rejected().length);
                case LabeledTokens l -> l.completion().length;
                case ScoredTokens s -> s.completion().length;
            };
            if (p.length + longest > context) {
                throw new DataException(data.name() + " row " + (i + 1) + ": the " + name + " instruction + prompt + "
                        + "completion (" + (p.length + longest) + " tokens) exceeds the model's context of " + context);
            }
            out.add(p);
        }
        return out;
    }

    /** The completion's ids (EOS added when {@code eos}); {@code role} names it in errors ("chosen ", ...). */
    private static int[] completion(Tokenizer tokenizer, String text, String role, boolean eos, int promptLength,
                                    int context, String where) {
        int[] ids = tokenizer.encode(text);
        if (eos && tokenizer.eosId() >= 0) {
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
