package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state an experiment carries across steps, from rlx values to the engine's plain tree
 * ({@code dev.rlx.engine.rl.CarriedState}: Long, Double, String, Boolean, null, List, Map). Only plain values
 * cross, so a checkpoint restores the state exactly; a one-element tensor (a mean, a KL estimate) becomes its
 * Double because that is what a moving statistic is, while a bigger tensor, a function or an engine value is an
 * error that names where in the state it sits.
 */
final class CarriedValues {
    private CarriedValues() {}

    /** A value that cannot be carried: {@code where} is its path (`state.stats[2]`), {@code problem} why. */
    static final class Uncarriable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String where;
        final String problem;

        Uncarriable(String where, String problem) {
            super(where + " " + problem);
            this.where = where;
            this.problem = problem;
        }
    }

    /** The engine tree of a state record. */
    static Map<String, Object> toEngine(RlxRecord state) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) convert(state, "state");
        return tree;
    }

    private static Object convert(Object v, String where) {
        if (v == RlxNone.INSTANCE) {
            return null;
        }
        if (v instanceof Long || v instanceof Double || v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof TensorValue t) {
            if (t.tensor().size() != 1) {
                throw new Uncarriable(where, "is " + FunctionErrors.describe(v) + "; only a one-element tensor is carried "
                        + "(as a float): reduce it (item(mean(x))) or carry to_list(x)");
            }
            return t.tensor().item();
        }
        if (v instanceof RlxList list) {
            List<Object> out = new ArrayList<>();
            Object[] items = list.items();
            for (int i = 0; i < items.length; i++) {
                out.add(convert(items[i], where + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof RlxRecord r) {
            if (r.tag() != null) {
                throw new Uncarriable(where, "is " + SchemaLiteralCheck.article(r.tag() + " record")
                        + "; carry its fields in a plain record {...}");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < r.size(); i++) {
                out.put(r.key(i), convert(r.value(i), where + "." + r.key(i)));
            }
            return Collections.unmodifiableMap(out);
        }
        throw new Uncarriable(where, "is " + FunctionErrors.describe(v)
                + "; carried state holds only numbers, strings, bools, none, lists, records and one-element tensors");
    }
}
