package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Types;
import dev.rlx.interpreter.runtime.ValuePrinter;
import java.util.List;

/** Conversions, inspection and the few effects a script may have (printing, failing). */
public final class ValueBuiltins {
    private ValueBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            ValueBuiltinsFactory.LenFactory.getInstance(), ValueBuiltinsFactory.ToIntFactory.getInstance(),
            ValueBuiltinsFactory.ToFloatFactory.getInstance(), ValueBuiltinsFactory.StrFactory.getInstance(),
            ValueBuiltinsFactory.TypeFactory.getInstance(), ValueBuiltinsFactory.KeysFactory.getInstance(),
            ValueBuiltinsFactory.GetFactory.getInstance(), ValueBuiltinsFactory.PrintFactory.getInstance(),
            ValueBuiltinsFactory.FailFactory.getInstance(), ValueBuiltinsFactory.NamedRewardFactory.getInstance());

    @Builtin(value = "len(x)", doc = "the number of items of a list, code points of a string, fields of a record, or rows of a dataset")
    public abstract static class Len extends BuiltinNode {
        @Specialization
        protected long len(RlxList list) {
            return list.size();
        }

        @Specialization
        @TruffleBoundary
        protected long len(String s) {
            return s.codePointCount(0, s.length());
        }

        @Specialization
        protected long len(RlxRecord r) {
            return r.size();
        }

        @Specialization
        protected long len(DatasetValue d) {
            return d.dataset().size();
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "to_int(x)", doc = "the int written in string x (surrounding spaces allowed), or none if x is not one; floats truncate toward zero")
    public abstract static class ToInt extends BuiltinNode {
        @Specialization
        protected long toInt(long x) {
            return x;
        }

        @Specialization
        protected Object toInt(double x) {
            if (Double.isNaN(x) || x >= 0x1p63 || x < -0x1p63) {
                return RlxNone.INSTANCE;
            }
            return (long) x;
        }

        @Specialization
        protected Object toInt(String s) {
            return parse(s);
        }

        /** A hand-written parser: no exception on the hot path of a reward that sees garbage. */
        static Object parse(String s) {
            int i = 0;
            int n = s.length();
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            while (n > i && Character.isWhitespace(s.charAt(n - 1))) {
                n--;
            }
            boolean negative = false;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                negative = s.charAt(i) == '-';
                i++;
            }
            if (i >= n) {
                return RlxNone.INSTANCE;
            }
            long v = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return RlxNone.INSTANCE;
                }
                // accumulate negatively so that Long.MIN_VALUE parses
                if (v < (Long.MIN_VALUE + (c - '0')) / 10) {
                    return RlxNone.INSTANCE;
                }
                v = v * 10 - (c - '0');
            }
            if (!negative) {
                if (v == Long.MIN_VALUE) {
                    return RlxNone.INSTANCE;
                }
                v = -v;
            }
            return v;
        }

        @Specialization
        protected Object toInt(RlxNone x) {
            return RlxNone.INSTANCE;
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "to_float(x)", doc = "the number written in string x, or none if x is not one")
    public abstract static class ToFloat extends BuiltinNode {
        @Specialization
        protected double toFloat(double x) {
            return x;
        }

        @Specialization
        @TruffleBoundary
        protected Object toFloat(String s) {
            String t = s.strip();
            // Java also accepts "NaN", "Infinity", hex floats and a trailing 'd'/'f'; rlx does not
            if (t.isEmpty() || !t.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                return RlxNone.INSTANCE;
            }
            return Double.parseDouble(t);
        }

        @Specialization
        protected Object toFloat(RlxNone x) {
            return RlxNone.INSTANCE;
        }

        @Fallback
        protected Object error(Object x) {
            throw typeError(x);
        }
    }

    @Builtin(value = "str(x)", doc = "x as a string (strings unchanged, other values as the REPL shows them)")
    public abstract static class Str extends BuiltinNode {
        @Specialization
        protected String str(Object x) {
            return ValuePrinter.plain(x);
        }
    }

    @Builtin(value = "type(x)", doc = "the name of x's type: int, float, bool, string, none, list, record, function, reward, module, tensor, ...")
    public abstract static class Type extends BuiltinNode {
        @Specialization
        protected String type(Object x) {
            return Types.name(x);
        }
    }

    @Builtin(value = "keys(r)", doc = "the field names of record r, in order")
    public abstract static class Keys extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected RlxList keys(RlxRecord r) {
            return RlxList.of(r.shape().keys());
        }

        @Fallback
        protected Object error(Object r) {
            throw typeError(r);
        }
    }

    @Builtin(value = "get(r, key, default = none)", doc = "field key of record r, or default when r has no such field")
    public abstract static class Get extends BuiltinNode {
        @Specialization
        protected Object get(RlxRecord r, String key, Object otherwise) {
            Object v = r.get(key);
            return v == null ? otherwise : v;
        }

        @Fallback
        protected Object error(Object r, Object key, Object otherwise) {
            throw typeError(r, key, otherwise);
        }
    }

    @Builtin(value = "print(...values)", doc = "writes the values, separated by spaces, to the output; returns the last one (or none)")
    public abstract static class Print extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected Object print(RlxList values) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(ValuePrinter.plain(values.get(i)));
            }
            RlxContext.get(this).out().println(sb);
            return values.size() == 0 ? RlxNone.INSTANCE : values.get(values.size() - 1);
        }
    }

    @Builtin(value = "fail(message)", doc = "stops evaluation with an error carrying message and this location")
    public abstract static class Fail extends BuiltinNode {
        @Specialization
        protected Object fail(Object message) {
            throw new RlxException(ValuePrinter.plain(message), this);
        }
    }

    @Builtin(value = "named_reward(name, f)", doc = "f (a function of one sample) as a reward logged under name")
    public abstract static class NamedReward extends BuiltinNode {
        @Specialization
        protected RlxReward named(String name, RlxFunction f) {
            return RlxReward.named(name, f);
        }

        @Specialization(guards = "r.isSingle()")
        protected RlxReward renamed(String name, RlxReward r) {
            RlxReward.Term t = r.terms().get(0);
            return t.batched() == null ? RlxReward.named(name, t.function()) : RlxReward.batched(name, t.function(), t.batched());
        }

        @Fallback
        protected Object error(Object name, Object f) {
            throw typeError(name, f);
        }
    }
}
