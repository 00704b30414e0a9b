package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of an evaluated `train` record (or one of its nested records). A value of the wrong type
 * is an error at the key's position in the script (`recipe.rlx:12:3: train.steps must be an int, got
 * string`), with the line and a caret.
 */
final class TrainRecord {
    private final RlxRecord record;
    private final RlxSession session;
    private final String path;

    TrainRecord(RlxRecord record, RlxSession session, String path) {
        this.record = record;
        this.session = session;
        this.path = path;
    }

    /** The raw value, or null when the key is missing or none. */
    Object raw(String key) {
        Object v = record.get(key);
        return v == RlxNone.INSTANCE ? null : v;
    }

    <T> T get(String key, Class<T> type, String expected) {
        Object v = raw(key);
        if (v == null) {
            throw error(key, "is required: " + expected);
        }
        if (!type.isInstance(v)) {
            throw error(key, "must be " + expected + ", got a " + Types.name(v));
        }
        return type.cast(v);
    }

    long integer(String key, long otherwise) {
        Object v = raw(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Long l)) {
            throw error(key, "must be an int, got a " + Types.name(v));
        }
        return l;
    }

    double number(String key, double otherwise) {
        Object v = raw(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Long) && !(v instanceof Double)) {
            throw error(key, "must be a number, got a " + Types.name(v));
        }
        return ((Number) v).doubleValue();
    }

    boolean bool(String key, boolean otherwise) {
        Object v = raw(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof Boolean b)) {
            throw error(key, "must be a bool, got a " + Types.name(v));
        }
        return b;
    }

    String string(String key, String otherwise) {
        Object v = raw(key);
        if (v == null) {
            return otherwise;
        }
        if (!(v instanceof String s)) {
            throw error(key, "must be a string, got a " + Types.name(v));
        }
        return s;
    }

    List<String> strings(String key) {
        Object v = raw(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof RlxList list)) {
            throw error(key, "must be a list of strings, got a " + Types.name(v));
        }
        for (Object x : list.items()) {
            if (!(x instanceof String s)) {
                throw error(key, "must be a list of strings, found a " + Types.name(x));
            }
            out.add(s);
        }
        return out;
    }

    List<Double> numbers(String key) {
        Object v = raw(key);
        List<Double> out = new ArrayList<>();
        if (v instanceof RlxList list) {
            for (Object x : list.items()) {
                if (!(x instanceof Number n)) {
                    throw error(key, "must be a list of numbers, found a " + Types.name(x));
                }
                out.add(n.doubleValue());
            }
        }
        return out;
    }

    /** A reward value: a reward (sum) or a plain function of one sample, named after the function. */
    RlxReward reward(String key) {
        Object v = raw(key);
        if (v instanceof RlxReward r) {
            return r;
        }
        if (v instanceof RlxFunction f) {
            return RlxReward.named(f.name(), f);
        }
        throw error(key, v == null ? "is required: a reward, e.g. `correct + 0.2 * tidy`"
                : "must be a reward or a function of one sample, got a " + Types.name(v));
    }

    /** A nested record (`rollout: {...}`), or null when absent. */
    TrainRecord nested(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof RlxRecord r)) {
            throw error(key, "must be a record {...}, got a " + Types.name(v));
        }
        return new TrainRecord(r, session, path + "." + key);
    }

    RlxError error(String key, String problem) {
        String message = path + "." + key + " " + problem;
        int i = record.shape().indexOf(key);
        Span span = i < 0 ? null : record.shape().keySpan(i);
        if (span == null) {
            return new RlxError("error: " + message, null);
        }
        return new RlxError(Diagnostic.at(span, message).format(session.sourceText(span.sourceName())), null);
    }
}
