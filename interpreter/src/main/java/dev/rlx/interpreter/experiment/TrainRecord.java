package dev.rlx.interpreter.experiment;

import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.ast.Span;
import dev.rlx.interpreter.diag.Diagnostic;
import dev.rlx.interpreter.experiment.TrainSchema.Code;
import dev.rlx.interpreter.experiment.TrainSchema.Key;
import dev.rlx.interpreter.experiment.TrainSchema.Required;
import dev.rlx.interpreter.experiment.TrainSchema.Value;
import dev.rlx.interpreter.diag.Suggest;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run-time half of the train schema: an evaluated `train` record (or one of its nested records) checked
 * against {@link TrainSchema} when it is opened, and read with the schema's defaults. Records built at run time
 * (passed through a recipe's parameters, computed by a function) get the same checks as literals: an unknown
 * key or a value of the wrong type is an error at the key's position in the script (`recipe.rlx:12:3:
 * train.steps must be an int, got a string`), or at the enclosing key when the record has no source position.
 */
final class TrainRecord {
    private final RlxRecord record;
    private final Map<String, Key> schema;
    private final RlxSession session;
    private final String path;
    /** Where errors point when the record was not written as a literal (the key that holds it). */
    private final Span fallback;

    private TrainRecord(RlxRecord record, Map<String, Key> schema, RlxSession session, String path, Span fallback) {
        this.record = record;
        this.schema = schema;
        this.session = session;
        this.path = path;
        this.fallback = fallback;
    }

    /** The experiment record (`train` or `preference`), with every key and nested record checked. */
    static TrainRecord open(RlxRecord train, RlxSession session) {
        Map<String, Key> keys = TrainSchema.experimentKeys(train.tag());
        if (keys == null) {
            throw new IllegalArgumentException("not an experiment record: " + train.tag());
        }
        TrainRecord t = new TrainRecord(train, keys, session, train.tag(), null);
        t.check();
        return t;
    }

    private void check() {
        for (int i = 0; i < record.size(); i++) {
            String name = record.key(i);
            Key key = schema.get(name);
            if (key == null) {
                String hint = Suggest.hint(name, schema.keySet());
                throw located(keySpan(name), "unknown key '" + name + "' in " + path + " record",
                        hint != null ? hint : "keys: " + String.join(", ", schema.keySet()));
            }
            Object v = record.value(i);
            if (v == RlxNone.INSTANCE) {
                if (key.required()) {
                    throw error(name, "is required: " + key.type().expected, null);
                }
                continue;
            }
            if (!key.type().accepts(v)) {
                throw error(name, "must be " + key.type().expected + ", got " + FunctionErrors.describe(v), null);
            }
            if (key.choices() != null && !key.choices().contains(v)) {
                throw error(name, "must be " + SchemaLiteralCheck.choices(key.choices()) + ", got \"" + v + "\"",
                        Suggest.hint((String) v, key.choices()));
            }
            if (key.nested() != null) {
                nested(name).check();
            }
        }
        for (Key k : schema.values()) {
            if (k.required() && record.shape().indexOf(k.name()) < 0) {
                throw located(fallback, path + " record is missing the required key '" + k.name() + "'",
                        k.name() + ": " + k.doc());
            }
        }
    }

    /** Whether the key is given (and not none). */
    boolean has(String key) {
        Object v = record.get(key);
        return v != null && v != RlxNone.INSTANCE;
    }

    /** The key's value, or its default (stdlib code defaults are evaluated); none stands for "not given". */
    Object value(String key) {
        Key k = schema.get(key);
        if (k == null) {
            throw new IllegalArgumentException(path + " has no key " + key + " in the schema");
        }
        return has(key) ? record.get(key) : defaultValue(k);
    }

    private Object defaultValue(Key k) {
        return switch (k.fallback()) {
            case Required r -> throw error(k.name(), "is required: " + k.type().expected, null);
            case Value d -> d.value();
            case Code c -> evaluate(k, c);
        };
    }

    /** The nested record the key has when it is not given (the critic's optimizer is the default one). */
    TrainRecord defaultNested(String key) {
        Key k = schema.get(key);
        return new TrainRecord((RlxRecord) defaultValue(k), k.nested(), session, path + "." + key, null);
    }

    private Object evaluate(Key key, Code code) {
        String where = "<default of " + path + "." + key.name() + ">";
        if (code.uses().isEmpty()) {
            return session.evalStdlib(where, code.expression());
        }
        // a function of the sibling keys it reads, called with their values
        Object fn = session.evalStdlib(where, "(" + String.join(", ", code.uses()) + ") => " + code.expression());
        Object[] args = code.uses().stream().map(this::value).toArray();
        FunctionHandle h = session.handle(fn, args.length, null);
        return h.call(args);
    }

    long integer(String key) {
        return (Long) typed(key, TrainSchema.Type.INT);
    }

    double number(String key) {
        return ((Number) typed(key, TrainSchema.Type.NUMBER)).doubleValue();
    }

    boolean bool(String key) {
        return (Boolean) typed(key, TrainSchema.Type.BOOL);
    }

    String string(String key) {
        return (String) typed(key, TrainSchema.Type.STRING);
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (Object x : ((RlxList) typed(key, TrainSchema.Type.STRINGS)).items()) {
            out.add((String) x);
        }
        return out;
    }

    List<Double> numbers(String key) {
        List<Double> out = new ArrayList<>();
        for (Object x : ((RlxList) typed(key, TrainSchema.Type.NUMBERS)).items()) {
            out.add(((Number) x).doubleValue());
        }
        return out;
    }

    RlxFunction function(String key) {
        return (RlxFunction) typed(key, TrainSchema.Type.FUNCTION);
    }

    <T> T get(String key, Class<T> type) {
        return type.cast(value(key));
    }

    /** A reward value: a reward (sum) or a plain function of one sample, named after the function. */
    RlxReward reward(String key) {
        Object v = typed(key, TrainSchema.Type.REWARD);
        return v instanceof RlxReward r ? r : RlxReward.named(((RlxFunction) v).name(), (RlxFunction) v);
    }

    /** A nested record (`rollout: {...}`), checked against its keys, or null when it is off (none). */
    TrainRecord nested(String key) {
        Key k = schema.get(key);
        Object v = value(key);
        if (v == RlxNone.INSTANCE) {
            return null;
        }
        return new TrainRecord((RlxRecord) v, k.nested(), session, path + "." + key, keySpan(key));
    }

    /** The value after the checks of {@link #check}; the schema must declare the key with this type. */
    private Object typed(String key, TrainSchema.Type type) {
        Key k = schema.get(key);
        if (k == null || k.type() != type) {
            throw new IllegalArgumentException(path + "." + key + " is not declared as " + type);
        }
        Object v = value(key);
        if (v == RlxNone.INSTANCE) {
            throw new IllegalStateException(path + "." + key + " defaults to none: ask has() before reading it");
        }
        if (!type.accepts(v)) {
            // a default from stdlib code of another type would be a bug in the schema, not the script
            throw new IllegalStateException(path + "." + key + ": default " + Types.name(v) + " is not " + type);
        }
        return v;
    }

    RlxError error(String key, String problem) {
        return error(key, problem, null);
    }

    RlxError error(String key, String problem, String hint) {
        Span span = keySpan(key);
        return located(span, path + "." + key + " " + problem, hint);
    }

    /** Where {@code key} is written (`file:line:col`), else where the record sits; null when neither is known. */
    Span where(String key) {
        return keySpan(key);
    }

    /** The record's path in messages: `train`, `train.rollout`. */
    String path() {
        return path;
    }

    /** The key itself (a literal's field span runs over its value too), else where the record sits. */
    private Span keySpan(String key) {
        int i = record.shape().indexOf(key);
        Span s = i < 0 ? null : record.shape().keySpan(i);
        return s == null ? fallback : new Span(s.sourceName(), s.line(), s.column(), s.start(), s.start() + key.length());
    }

    private RlxError located(Span span, String message, String hint) {
        if (span == null) {
            return new RlxError("error: " + message + (hint == null ? "" : "\n  hint: " + hint), null);
        }
        Diagnostic d = Diagnostic.at(span, message, hint);
        return new RlxError(d.format(session.sourceText(span.sourceName())), null);
    }
}
