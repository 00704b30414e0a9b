package dev.rlx.interpreter.runtime;

import dev.rlx.engine.rl.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * The sample record a reward sees: {prompt, completion, answer, tokens, length, finish} and the row's other data
 * fields. Records of rows with the same fields share one shape, so a reward's field reads stay monomorphic across
 * the millions of samples of a run (a fresh shape per sample would not). Not thread-safe: one per caller.
 */
public final class SampleRecords {
    private static final List<String> BASE_KEYS = List.of("prompt", "completion", "answer", "tokens", "length",
            "finish");
    private RlxRecord.Shape shape;

    public RlxRecord record(Sample s) {
        List<String> keys = new ArrayList<>(BASE_KEYS);
        List<Object> values = new ArrayList<>(List.of(s.prompt(), s.completion(), Values.toRlx(s.answer()),
                Values.toRlx(s.tokens()), (long) s.length(), s.finishReason()));
        s.fields().forEach((k, v) -> {
            if (!keys.contains(k)) {
                keys.add(k);
                values.add(Values.toRlx(v));
            }
        });
        if (shape == null || !shape.keys().equals(keys)) {
            shape = new RlxRecord.Shape(null, keys.toArray(new String[0]));
        }
        return new RlxRecord(shape, values.toArray());
    }
}
