package dev.rlx.interpreter.api;

import dev.rlx.interpreter.runtime.RlxRecord;
import java.util.ArrayList;
import java.util.List;

/** Script values a host builds in Java, to pass to script functions through a {@link FunctionHandle}. */
public final class ScriptValues {
    private ScriptValues() {}

    /**
     * The record {@code {keys[0]: values[0], ...}}. Values must be script values already: String, Long, Double,
     * Boolean, or values that came from the script. Records built with the same keys in the same order share a
     * shape, which keeps calls on them fast.
     */
    public static Object record(List<String> keys, List<?> values) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
        }
        return RlxRecord.of(null, keys, new ArrayList<Object>(values));
    }
}
