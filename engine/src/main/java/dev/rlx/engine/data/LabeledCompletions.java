package dev.rlx.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpaired preference data, what KTO trains on: a {@link Row} whose prompt is the prompt, whose field
 * {@link #COMPLETION} holds a completion (a string) and {@link #DESIRABLE} whether it is a good one (a Boolean).
 * Unlike pairs, the two kinds need not come in equal numbers nor share prompts. A dataset of them says so
 * ({@link Dataset#isLabeled()}).
 */
public final class LabeledCompletions {
    public static final String COMPLETION = "completion";
    public static final String DESIRABLE = "desirable";

    private LabeledCompletions() {}

    public static boolean isLabeled(Row row) {
        return row.fields().get(COMPLETION) instanceof String && row.fields().get(DESIRABLE) instanceof Boolean;
    }

    public static String completion(Row row) {
        return (String) row.fields().get(COMPLETION);
    }

    public static boolean desirable(Row row) {
        return (Boolean) row.fields().get(DESIRABLE);
    }

    /**
     * Each pair as two labeled rows, in order: its prompt with the chosen completion (desirable), then with the
     * rejected one (not desirable), as TRL's {@code unpair_preference_dataset} does. The pair's answer and other
     * fields carry over; chosen, rejected and margin do not.
     */
    public static Dataset fromPairs(Dataset pairs) {
        if (!pairs.isPairs()) {
            throw new DataException(pairs.name() + " does not hold preference pairs (rows with chosen and rejected); "
                    + "make them with tasks.preferences(...) or tasks.jsonl(..., chosen:, rejected:)");
        }
        List<Row> rows = new ArrayList<>(2 * pairs.size());
        for (Row pair : pairs.rows()) {
            rows.add(labeled(pair, PreferencePairs.chosen(pair), true));
            rows.add(labeled(pair, PreferencePairs.rejected(pair), false));
        }
        return new Dataset("unpaired(" + pairs.name() + ")", rows, pairs.tokenizer(), Dataset.Kind.LABELED);
    }

    private static Row labeled(Row pair, String completion, boolean desirable) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(COMPLETION, completion);
        fields.put(DESIRABLE, desirable);
        pair.fields().forEach((k, v) -> {
            if (!k.equals(PreferencePairs.CHOSEN) && !k.equals(PreferencePairs.REJECTED)
                    && !k.equals(PreferencePairs.MARGIN)) {
                fields.putIfAbsent(k, v);
            }
        });
        return new Row(pair.prompt(), pair.answer(), fields);
    }
}
