package dev.rlx.engine.data;

import java.util.Map;

/**
 * One problem of a dataset: the prompt the policy sees, the answer rewards check against, and any other
 * fields of the row (countdown's numbers, target and reference solution; a JSONL line's other keys).
 * Field values are Long, Double, String, Boolean, List, Map (JSON's shapes) and {@link JsonlData#NULL}.
 */
public record Row(String prompt, Object answer, Map<String, Object> fields) {
    /**
     * The field of a chat row: its conversation, a list of {role, content, ...} maps. The policy is prompted with
     * the conversation rendered by its tokenizer's chat template; {@link #prompt()} then holds the last message's
     * content, for display.
     */
    public static final String MESSAGES = "messages";

    public Row {
        // insertion order is kept: rows show their fields in the order the task or the JSON line gives them
        fields = fields == null || fields.isEmpty() ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    public Row(String prompt, Object answer) {
        this(prompt, answer, Map.of());
    }

    /** The conversation of a chat row, or null for a plain-text prompt. */
    @SuppressWarnings("unchecked")
    public java.util.List<Map<String, Object>> messages() {
        return fields.get(MESSAGES) instanceof java.util.List<?> l ? (java.util.List<Map<String, Object>>) l : null;
    }

    /**
     * The completion a supervised warm start should teach: the field {@code solution} when the row has one
     * (countdown, where the answer is the target and not the text to write), else a preference pair's chosen
     * completion (pairs from JSONL have no answer), else the answer as text.
     */
    public String reference() {
        if (fields.get("solution") instanceof String solution) {
            return solution;
        }
        return fields.get(PreferencePairs.CHOSEN) instanceof String chosen ? chosen : answerText(answer);
    }

    /** The answer as a model would write it: integers without ".0", strings as they are. */
    public static String answerText(Object answer) {
        if (answer instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(answer);
    }
}
