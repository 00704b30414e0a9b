package dev.rlx.interpreter.data;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.JsonlData;
import dev.rlx.engine.data.PreferencePairs;
import dev.rlx.engine.data.Row;
import dev.rlx.interpreter.model.TokenizerValue;
import dev.rlx.interpreter.runtime.EngineValue;
import dev.rlx.interpreter.runtime.IndexableValue;
import dev.rlx.interpreter.runtime.MemberValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dataset as an .rlx value: `d.size`, `d.name`, `d.tokenizer`, `len(d)`, `d[i]` (a record {prompt, answer,
 * ...the row's other fields}; negative indices count from the end) and `d[a:b]` (a dataset). A pair dataset
 * shows as `<dataset name, N pairs>` and its records start {prompt, chosen, rejected, ...}.
 */
public final class DatasetValue implements EngineValue, MemberValue, IndexableValue {
    private static final List<String> MEMBERS = List.of("size", "name", "tokenizer");

    private final Dataset dataset;
    private final TokenizerValue tokenizer;

    public DatasetValue(Dataset dataset) {
        this.dataset = dataset;
        this.tokenizer = new TokenizerValue(dataset.tokenizer());
    }

    public Dataset dataset() {
        return dataset;
    }

    @Override
    public String typeName() {
        return "dataset";
    }

    @Override
    @TruffleBoundary
    public String display() {
        return "<dataset " + dataset.name() + ", " + dataset.size() + switch (dataset.kind()) {
            case PAIRS -> " pairs>";
            case LABELED -> " labeled completions>";
            case SCORED -> " scored completions>";
            case PROBLEMS -> " rows>";
        };
    }

    @Override
    @TruffleBoundary
    public String toJson() {
        return "{\"dataset\": \"" + dataset.name().replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"size\": "
                + dataset.size() + switch (dataset.kind()) {
                    case PAIRS -> ", \"pairs\": true}";
                    case LABELED -> ", \"labeled\": true}";
                    case SCORED -> ", \"scored\": true}";
                    case PROBLEMS -> "}";
                };
    }

    @Override
    public Object member(String name) {
        return switch (name) {
            case "size" -> (long) dataset.size();
            case "name" -> dataset.name();
            case "tokenizer" -> tokenizer;
            default -> null;
        };
    }

    @Override
    public Collection<String> memberNames() {
        return MEMBERS;
    }

    @Override
    @TruffleBoundary
    public Object index(Object index) {
        if (!(index instanceof Long l)) {
            throw new IllegalArgumentException("a dataset index must be an int, not " + Types.name(index));
        }
        long i = l < 0 ? l + dataset.size() : l;
        if (i < 0 || i >= dataset.size()) {
            throw new IndexOutOfBoundsException("index " + l + " out of range for a dataset of " + dataset.size() + " rows");
        }
        return record(dataset.get((int) i), dataset.isPairs(), false);
    }

    @Override
    @TruffleBoundary
    public Object slice(Long from, Long to) {
        int n = dataset.size();
        int a = clamp(from == null ? 0 : from, n);
        int b = clamp(to == null ? n : to, n);
        return new DatasetValue(dataset.slice(a, Math.max(a, b)));
    }

    private static int clamp(long i, int n) {
        long j = i < 0 ? i + n : i;
        return (int) Math.max(0, Math.min(n, j));
    }

    /**
     * The row as a record {prompt, answer, ...fields}, or for a preference pair {prompt, chosen, rejected, answer,
     * ...fields} (what the pair is about first); with {@code response}, also the completion a supervised warm
     * start should teach ({@link Row#reference()}) as `response`.
     */
    @TruffleBoundary
    public static RlxRecord record(Row row, boolean pair, boolean response) {
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        keys.add("prompt");
        values.add(row.prompt());
        if (pair) {
            keys.add(PreferencePairs.CHOSEN);
            values.add(PreferencePairs.chosen(row));
            keys.add(PreferencePairs.REJECTED);
            values.add(PreferencePairs.rejected(row));
        }
        keys.add("answer");
        values.add(toRlx(row.answer()));
        for (Map.Entry<String, Object> f : row.fields().entrySet()) {
            if (!keys.contains(f.getKey())) {
                keys.add(f.getKey());
                values.add(toRlx(f.getValue()));
            }
        }
        if (response && !keys.contains("response")) {
            keys.add("response");
            values.add(row.reference());
        }
        return new RlxRecord(shape(keys), values.toArray());
    }

    /** Rows with the same keys share one record shape, so that `s.answer` in a reward stays a cached read. */
    private static final Map<List<String>, RlxRecord.Shape> SHAPES = new ConcurrentHashMap<>();

    private static RlxRecord.Shape shape(List<String> keys) {
        RlxRecord.Shape s = SHAPES.get(keys);
        if (s == null) {
            s = new RlxRecord.Shape(null, keys.toArray(new String[0]));
            if (SHAPES.size() < 4096) {
                RlxRecord.Shape prev = SHAPES.putIfAbsent(List.copyOf(keys), s);
                s = prev != null ? prev : s;
            }
        }
        return s;
    }

    /** Engine row values (JSON shapes) to .rlx values. */
    @TruffleBoundary
    public static Object toRlx(Object v) {
        if (v == null || v == JsonlData.NULL) {
            return RlxNone.INSTANCE;
        } else if (v instanceof Integer i) {
            return (long) i;
        } else if (v instanceof List<?> list) {
            Object[] out = new Object[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = toRlx(list.get(i));
            }
            return new RlxList(out);
        } else if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            map.forEach((k, x) -> {
                keys.add(String.valueOf(k));
                values.add(toRlx(x));
            });
            return RlxRecord.of(null, keys, values);
        }
        return v;
    }
}
