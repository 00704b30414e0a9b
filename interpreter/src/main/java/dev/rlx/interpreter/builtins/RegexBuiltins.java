package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxNone;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regex builtins (java.util.regex syntax; write patterns as r"..." to avoid double escaping). A
 * pattern is compiled once per call site: each call site has its own copy of the builtin, and the
 * compiled pattern is cached against the pattern string.
 */
public final class RegexBuiltins {
    private RegexBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            RegexBuiltinsFactory.MatchesFactory.getInstance(), RegexBuiltinsFactory.FindFactory.getInstance(),
            RegexBuiltinsFactory.FindAllFactory.getInstance(), RegexBuiltinsFactory.GroupsFactory.getInstance());

    /** Base of the regex builtins: compiling with errors at the call site. */
    abstract static class RegexNode extends BuiltinNode {
        protected static Pattern compileRegex(String pattern, com.oracle.truffle.api.nodes.Node where) {
            return RegexBuiltins.compile(pattern, where);
        }
    }

    /** Compiles {@code pattern}, turning a syntax error into an rlx error at the call. */
    @TruffleBoundary
    static Pattern compile(String pattern, com.oracle.truffle.api.nodes.Node where) {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new RlxException("invalid regex " + e.getDescription() + " at index " + e.getIndex()
                    + " in \"" + pattern + "\"", where);
        }
    }

    @TruffleBoundary
    static Matcher matcher(Pattern p, String s) {
        return p.matcher(s);
    }

    @Builtin(value = "matches(s, pattern)", doc = "whether pattern matches somewhere in s (anchor with ^ and $ for a whole match)")
    public abstract static class Matches extends RegexNode {
        @Specialization(guards = "pattern.equals(cachedPattern)", limit = "2")
        protected boolean cached(String s, String pattern, @Cached("pattern") String cachedPattern,
                                 @Cached("compileRegex(pattern, this)") Pattern compiled) {
            return find(compiled, s);
        }

        @Specialization(replaces = "cached")
        protected boolean generic(String s, String pattern) {
            return find(compile(pattern, this), s);
        }

        @TruffleBoundary
        private static boolean find(Pattern p, String s) {
            return p.matcher(s).find();
        }

        @Fallback
        protected Object error(Object s, Object pattern) {
            throw typeError(s, pattern);
        }
    }

    @Builtin(value = "find(s, pattern)", doc = "the first match of pattern in s, or none")
    public abstract static class Find extends RegexNode {
        @Specialization(guards = "pattern.equals(cachedPattern)", limit = "2")
        protected Object cached(String s, String pattern, @Cached("pattern") String cachedPattern,
                                @Cached("compileRegex(pattern, this)") Pattern compiled) {
            return first(compiled, s);
        }

        @Specialization(replaces = "cached")
        protected Object generic(String s, String pattern) {
            return first(compile(pattern, this), s);
        }

        @TruffleBoundary
        private static Object first(Pattern p, String s) {
            Matcher m = p.matcher(s);
            return m.find() ? m.group() : RlxNone.INSTANCE;
        }

        @Fallback
        protected Object error(Object s, Object pattern) {
            throw typeError(s, pattern);
        }
    }

    @Builtin(value = "find_all(s, pattern)", doc = "every non-overlapping match of pattern in s, as a list of strings")
    public abstract static class FindAll extends RegexNode {
        @Specialization(guards = "pattern.equals(cachedPattern)", limit = "2")
        protected RlxList cached(String s, String pattern, @Cached("pattern") String cachedPattern,
                                 @Cached("compileRegex(pattern, this)") Pattern compiled) {
            return all(compiled, s);
        }

        @Specialization(replaces = "cached")
        protected RlxList generic(String s, String pattern) {
            return all(compile(pattern, this), s);
        }

        @TruffleBoundary
        private static RlxList all(Pattern p, String s) {
            Matcher m = p.matcher(s);
            List<Object> out = new ArrayList<>();
            while (m.find()) {
                out.add(m.group());
            }
            return RlxList.of(out);
        }

        @Fallback
        protected Object error(Object s, Object pattern) {
            throw typeError(s, pattern);
        }
    }

    @Builtin(value = "groups(s, pattern)", doc = "the capture groups of the first match of pattern in s as a list (none for a group that did not take part), or none when nothing matches")
    public abstract static class Groups extends RegexNode {
        @Specialization(guards = "pattern.equals(cachedPattern)", limit = "2")
        protected Object cached(String s, String pattern, @Cached("pattern") String cachedPattern,
                                @Cached("compileRegex(pattern, this)") Pattern compiled) {
            return groups(compiled, s);
        }

        @Specialization(replaces = "cached")
        protected Object generic(String s, String pattern) {
            return groups(compile(pattern, this), s);
        }

        @TruffleBoundary
        private static Object groups(Pattern p, String s) {
            Matcher m = p.matcher(s);
            if (!m.find()) {
                return RlxNone.INSTANCE;
            }
            Object[] out = new Object[m.groupCount()];
            for (int i = 0; i < out.length; i++) {
                String g = m.group(i + 1);
                out[i] = g == null ? RlxNone.INSTANCE : g;
            }
            return new RlxList(out);
        }

        @Fallback
        protected Object error(Object s, Object pattern) {
            throw typeError(s, pattern);
        }
    }
}
