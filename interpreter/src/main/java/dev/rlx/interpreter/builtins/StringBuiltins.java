package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.runtime.Equality;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import dev.rlx.interpreter.runtime.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** String builtins. Positions count Unicode code points, like indexing. */
public final class StringBuiltins {
    private StringBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            StringBuiltinsFactory.TrimFactory.getInstance(), StringBuiltinsFactory.LowerFactory.getInstance(),
            StringBuiltinsFactory.UpperFactory.getInstance(), StringBuiltinsFactory.ContainsFactory.getInstance(),
            StringBuiltinsFactory.StartsWithFactory.getInstance(), StringBuiltinsFactory.EndsWithFactory.getInstance(),
            StringBuiltinsFactory.SplitFactory.getInstance(), StringBuiltinsFactory.JoinFactory.getInstance(),
            StringBuiltinsFactory.ReplaceFactory.getInstance(), StringBuiltinsFactory.SubstrFactory.getInstance());

    @Builtin(value = "trim(s)", doc = "s without leading and trailing whitespace")
    public abstract static class Trim extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected String trim(String s) {
            return s.strip();
        }

        @Fallback
        protected Object error(Object s) {
            throw typeError(s);
        }
    }

    @Builtin(value = "lower(s)", doc = "s in lower case")
    public abstract static class Lower extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected String lower(String s) {
            return s.toLowerCase(Locale.ROOT);
        }

        @Fallback
        protected Object error(Object s) {
            throw typeError(s);
        }
    }

    @Builtin(value = "upper(s)", doc = "s in upper case")
    public abstract static class Upper extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected String upper(String s) {
            return s.toUpperCase(Locale.ROOT);
        }

        @Fallback
        protected Object error(Object s) {
            throw typeError(s);
        }
    }

    @Builtin(value = "contains(s, part)", doc = "whether string s contains part, or list s contains an element equal to part")
    public abstract static class Contains extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected boolean contains(String s, String part) {
            return s.contains(part);
        }

        @Specialization
        protected boolean contains(RlxList list, Object x) {
            for (Object item : list.items()) {
                if (Equality.equal(item, x)) {
                    return true;
                }
            }
            return false;
        }

        @Fallback
        protected Object error(Object s, Object part) {
            throw typeError(s, part);
        }
    }

    @Builtin(value = "starts_with(s, prefix)", doc = "whether s begins with prefix")
    public abstract static class StartsWith extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected boolean startsWith(String s, String prefix) {
            return s.startsWith(prefix);
        }

        @Fallback
        protected Object error(Object s, Object p) {
            throw typeError(s, p);
        }
    }

    @Builtin(value = "ends_with(s, suffix)", doc = "whether s ends with suffix")
    public abstract static class EndsWith extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected boolean endsWith(String s, String suffix) {
            return s.endsWith(suffix);
        }

        @Fallback
        protected Object error(Object s, Object p) {
            throw typeError(s, p);
        }
    }

    @Builtin(value = "split(s, sep = none)", doc = "the parts of s between occurrences of sep; with no sep, the words of s (split on whitespace)")
    public abstract static class Split extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected RlxList words(String s, RlxNone sep) {
            String t = s.strip();
            return t.isEmpty() ? RlxList.EMPTY : new RlxList(t.split("\\s+"));
        }

        @Specialization
        @TruffleBoundary
        protected RlxList split(String s, String sep) {
            if (sep.isEmpty()) {
                throw error("separator must not be empty");
            }
            List<Object> parts = new ArrayList<>();
            int start = 0;
            int at;
            while ((at = s.indexOf(sep, start)) >= 0) {
                parts.add(s.substring(start, at));
                start = at + sep.length();
            }
            parts.add(s.substring(start));
            return RlxList.of(parts);
        }

        @Fallback
        protected Object error(Object s, Object sep) {
            throw typeError(s, sep);
        }
    }

    @Builtin(value = "join(items, sep = \"\")", doc = "the strings of a list joined with sep")
    public abstract static class Join extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected String join(RlxList items, String sep) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof String s)) {
                    throw error("item " + i + " is a " + Types.name(items.get(i))
                            + ", not a string (use str(x) first)");
                }
                if ((long) sb.length() + sep.length() + s.length() > dev.rlx.interpreter.runtime.Limits.MAX_STRING) {
                    throw error("would make a string of more than " + dev.rlx.interpreter.runtime.Limits.MAX_STRING
                            + " characters (the limit)");
                }
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(s);
            }
            return sb.toString();
        }

        @Fallback
        protected Object error(Object items, Object sep) {
            throw typeError(items, sep);
        }
    }

    @Builtin(value = "replace(s, old, new)", doc = "s with every occurrence of old replaced by new")
    public abstract static class Replace extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected String replace(String s, String old, String replacement) {
            return s.replace(old, replacement);
        }

        @Fallback
        protected Object error(Object s, Object old, Object replacement) {
            throw typeError(s, old, replacement);
        }
    }

    @Builtin(value = "substr(s, start, end = none)", doc = "the code points of s from start up to end (exclusive); negative positions count from the end")
    public abstract static class Substr extends BuiltinNode {
        @Specialization
        @TruffleBoundary
        protected String substr(String s, long start, Object end) {
            int n = s.codePointCount(0, s.length());
            long from = clamp(start, n);
            long to = end == RlxNone.INSTANCE ? n : end instanceof Long e ? clamp(e, n) : -1;
            if (to < 0) {
                throw typeError(s, start, end);
            }
            if (to <= from) {
                return "";
            }
            return s.substring(s.offsetByCodePoints(0, (int) from), s.offsetByCodePoints(0, (int) to));
        }

        private static long clamp(long i, int n) {
            return i < 0 ? Math.max(0, i + n) : Math.min(i, n);
        }

        @Fallback
        protected Object error(Object s, Object start, Object end) {
            throw typeError(s, start, end);
        }
    }
}
