package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.Row;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.nodes.DispatchNode;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.tensor.TensorArgs;
import dev.rlx.interpreter.tensor.TensorValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Lists: higher-order functions and the usual helpers. Lists are immutable; every builtin returns a new one. */
public final class ListBuiltins {
    /** Larger lists are almost certainly a mistake (e.g. range(1e12)) and would exhaust memory. */
    static final long MAX_LIST = dev.rlx.interpreter.runtime.Limits.MAX_LIST;

    private ListBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            ListBuiltinsFactory.MapFactory.getInstance(), ListBuiltinsFactory.FilterFactory.getInstance(),
            ListBuiltinsFactory.FoldFactory.getInstance(), ListBuiltinsFactory.SumFactory.getInstance(),
            ListBuiltinsFactory.RangeFactory.getInstance(), ListBuiltinsFactory.ZipFactory.getInstance(),
            ListBuiltinsFactory.ReverseFactory.getInstance(), ListBuiltinsFactory.SortFactory.getInstance(),
            ListBuiltinsFactory.AnyFactory.getInstance(), ListBuiltinsFactory.AllFactory.getInstance());

    static boolean truth(Object v, BuiltinNode where, String what) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new RlxException(what + " must return a bool, got " + Types.name(v), where);
    }

    @Builtin(value = "map(items, f)", doc = "[f(x) for each x in items]")
    public abstract static class Map extends BuiltinNode {
        @Specialization
        protected RlxList map(RlxList items, Object f, @Cached("positional(1)") DispatchNode call) {
            Object[] out = new Object[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = call.execute(f, new Object[] {items.get(i)});
            }
            return new RlxList(out);
        }

        @Fallback
        protected Object error(Object items, Object f) {
            throw typeError(items, f);
        }
    }

    @Builtin(value = "filter(items, keep)", doc = "the items x for which keep(x) is true, in order; over a dataset, "
            + "the dataset of the rows whose record (d[i]) keep accepts, e.g. the test problems with a one-digit operand")
    public abstract static class Filter extends BuiltinNode {
        @Specialization
        protected DatasetValue dataset(DatasetValue items, Object keep, @Cached("positional(1)") DispatchNode call) {
            Dataset d = items.dataset();
            boolean[] kept = new boolean[size(d)];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = truth(call.execute(keep, new Object[] {record(d, i)}), this, "filter's function");
            }
            return filtered(d, kept);
        }

        @TruffleBoundary
        private static int size(Dataset d) {
            return d.size();
        }

        @TruffleBoundary
        private static Object record(Dataset d, int i) {
            return DatasetValue.record(d.get(i), d.isPairs(), false);
        }

        @TruffleBoundary
        private static DatasetValue filtered(Dataset d, boolean[] kept) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < kept.length; i++) {
                if (kept[i]) rows.add(d.get(i));
            }
            return new DatasetValue(new Dataset("filter(" + d.name() + ")", rows, d.tokenizer(), d.kind()));
        }

        @Specialization
        protected RlxList filter(RlxList items, Object keep, @Cached("positional(1)") DispatchNode call) {
            Object[] out = new Object[items.size()];
            int n = 0;
            for (int i = 0; i < items.size(); i++) {
                Object x = items.get(i);
                if (truth(call.execute(keep, new Object[] {x}), this, "filter's function")) {
                    out[n++] = x;
                }
            }
            return new RlxList(Arrays.copyOf(out, n));
        }

        @Fallback
        protected Object error(Object items, Object f) {
            throw typeError(items, f);
        }
    }

    @Builtin(value = "fold(items, init, f)", doc = "f(...f(f(init, x0), x1)..., xn): combine items left to right")
    public abstract static class Fold extends BuiltinNode {
        @Specialization
        protected Object fold(RlxList items, Object init, Object f, @Cached("positional(2)") DispatchNode call) {
            Object acc = init;
            for (int i = 0; i < items.size(); i++) {
                acc = call.execute(f, new Object[] {acc, items.get(i)});
            }
            return acc;
        }

        @Fallback
        protected Object error(Object items, Object init, Object f) {
            throw typeError(items, init, f);
        }
    }

    @Builtin(value = "sum(items, axis = none, keep = false)",
            doc = "the sum of a list of numbers (an int when all are ints; 0 for an empty list), or of a tensor over axis (none: all elements; keep leaves a size-1 axis)")
    public abstract static class Sum extends BuiltinNode {
        @Specialization
        protected Object tensor(TensorValue items, Object axis, Object keep) {
            return TensorArgs.wrap(items.tensor().sum(
                    TensorArgs.axis(axis), TensorArgs.bool(keep, "keep")));
        }

        @Specialization
        protected Object sum(RlxList items, Object axis, Object keep) {
            if (axis != RlxNone.INSTANCE) {
                throw error("axis applies to tensors only");
            }
            long li = 0;
            double d = 0;
            boolean real = false;
            for (Object v : items.items()) {
                if (v instanceof Long l) {
                    if (real) {
                        d += l;
                    } else {
                        try {
                            li = Math.addExact(li, l);
                        } catch (ArithmeticException e) {
                            throw error("integer overflow");
                        }
                    }
                } else if (v instanceof Double x) {
                    if (!real) {
                        real = true;
                        d = li;
                    }
                    d += x;
                } else {
                    throw error("expects numbers, got a " + Types.name(v));
                }
            }
            return real ? (Object) d : (Object) li;
        }

        @Fallback
        protected Object error(Object items, Object axis, Object keep) {
            throw typeError(items, axis, keep);
        }
    }

    @Builtin(value = "range(start, stop = none, step = 1)", doc = "range(n) is [0, ..., n-1]; range(a, b, step) counts from a towards b (exclusive)")
    public abstract static class Range extends BuiltinNode {
        @Specialization
        protected RlxList range(long start, Object stop, long step) {
            long from = stop == RlxNone.INSTANCE ? 0 : start;
            long to;
            if (stop == RlxNone.INSTANCE) {
                to = start;
            } else if (stop instanceof Long l) {
                to = l;
            } else {
                throw typeError(start, stop, step);
            }
            if (step == 0) {
                throw error("step must not be 0");
            }
            long count = step > 0 ? Math.max(0, ceilDiv(to - from, step)) : Math.max(0, ceilDiv(from - to, -step));
            if (count > MAX_LIST) {
                throw error("would make " + count + " items (the limit is " + MAX_LIST + ")");
            }
            Object[] out = new Object[(int) count];
            for (int i = 0; i < out.length; i++) {
                out[i] = from + i * step;
            }
            return new RlxList(out);
        }

        private static long ceilDiv(long a, long b) {
            return Math.floorDiv(a + b - 1, b);
        }

        @Fallback
        protected Object error(Object start, Object stop, Object step) {
            throw typeError(start, stop, step);
        }
    }

    @Builtin(value = "zip(...lists)", doc = "[[a0, b0, ...], [a1, b1, ...], ...], as long as the shortest list")
    public abstract static class Zip extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected RlxList zip(RlxList lists) {
            int n = Integer.MAX_VALUE;
            for (Object l : lists.items()) {
                if (!(l instanceof RlxList list)) {
                    throw error("expects lists, got a " + Types.name(l));
                }
                n = Math.min(n, list.size());
            }
            if (lists.size() == 0) {
                return RlxList.EMPTY;
            }
            Object[] out = new Object[n];
            for (int i = 0; i < n; i++) {
                Object[] row = new Object[lists.size()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = ((RlxList) lists.get(j)).get(i);
                }
                out[i] = new RlxList(row);
            }
            return new RlxList(out);
        }
    }

    @Builtin(value = "reverse(items)", doc = "items in reverse order")
    public abstract static class Reverse extends BuiltinNode {
        @Specialization
        protected RlxList reverse(RlxList items) {
            Object[] out = new Object[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = items.get(out.length - 1 - i);
            }
            return new RlxList(out);
        }

        @Specialization
        @TruffleBoundary
        protected String reverse(String s) {
            return new StringBuilder(s).reverse().toString();
        }

        @Fallback
        protected Object error(Object items) {
            throw typeError(items);
        }
    }

    @Builtin(value = "sort(items)", doc = "a list of numbers or of strings in ascending order (stable)")
    public abstract static class Sort extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected RlxList sort(RlxList items) {
            Object[] out = items.items().clone();
            boolean numbers = Arrays.stream(out).allMatch(v -> v instanceof Long || v instanceof Double);
            boolean strings = Arrays.stream(out).allMatch(v -> v instanceof String);
            if (numbers) {
                Arrays.sort(out, (a, b) -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
            } else if (strings) {
                Arrays.sort(out, (a, b) -> ((String) a).compareTo((String) b));
            } else {
                throw error("sorts a list of numbers or a list of strings");
            }
            return new RlxList(out);
        }

        @Fallback
        protected Object error(Object items) {
            throw typeError(items);
        }
    }

    @Builtin(value = "any(items)", doc = "whether any bool in items is true")
    public abstract static class Any extends BuiltinNode {
        @Specialization
        protected boolean any(RlxList items) {
            for (Object v : items.items()) {
                if (truth(v, this, "each item")) {
                    return true;
                }
            }
            return false;
        }

        @Fallback
        protected Object error(Object items) {
            throw typeError(items);
        }
    }

    @Builtin(value = "all(items)", doc = "whether every bool in items is true")
    public abstract static class All extends BuiltinNode {
        @Specialization
        protected boolean all(RlxList items) {
            for (Object v : items.items()) {
                if (!truth(v, this, "each item")) {
                    return false;
                }
            }
            return true;
        }

        @Fallback
        protected Object error(Object items) {
            throw typeError(items);
        }
    }
}
