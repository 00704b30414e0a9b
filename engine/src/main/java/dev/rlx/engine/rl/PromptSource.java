package dev.rlx.engine.rl;

import java.util.List;
import java.util.Map;

/**
 * Training or evaluation prompts, addressed by index. The trainer owns the order: it reads prompt
 * {@code perm(epoch)[i]} for a seeded permutation per pass over the data, so its whole data position is
 * one integer (the cursor) and resuming needs nothing from the source but the same contents.
 */
public interface PromptSource {
    /** One prompt: its text, the answer the rewards compare with (any value), and the row's other fields. */
    record Prompt(String text, Object answer, Map<String, Object> fields) {
        public Prompt {
            fields = fields == null ? Map.of() : fields;
        }

        public Prompt(String text, Object answer) {
            this(text, answer, Map.of());
        }
    }

    int size();

    /** The prompt at {@code index}, 0 <= index < size(). Must return the same prompt for the same index. */
    Prompt get(int index);

    static PromptSource of(List<Prompt> prompts) {
        List<Prompt> copy = List.copyOf(prompts);
        return new PromptSource() {
            @Override public int size() { return copy.size(); }
            @Override public Prompt get(int index) { return copy.get(index); }
        };
    }
}
