package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.GenerateInline;
import com.oracle.truffle.api.dsl.NodeFactory;
import com.oracle.truffle.api.dsl.Specialization;
import com.oracle.truffle.api.nodes.Node;
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
 * pattern is compiled once per call site: each call site has its own copy of the builtin, whose
 * {@link PatternNode} caches the compiled pattern against the pattern string.
 */
public final class RegexBuiltins {
    private RegexBuiltins() {}

    static final List<NodeFactory<? extends BuiltinNode>> FACTORIES = List.of(
            RegexBuiltinsFactory.MatchesFactory.getInstance(), RegexBuiltinsFactory.FindFactory.getInstance(),
            RegexBuiltinsFactory.FindAllFactory.getInstance(), RegexBuiltinsFactory.GroupsFactory.getInstance());

    /** Compiles pattern strings, caching the last few; a syntax error is an rlx error at the call. */
    @GenerateInline(false)
    public abstract static class PatternNode extends Node {
        public abstract Pattern execute(String pattern);

        @Specialization(guards = "pattern.equals(cachedPattern)", limit = "2")
        protected Pattern cached(String pattern, @Cached("pattern") String cachedPattern,
                                 @Cached("compileRegex(pattern, this)") Pattern compiled) {
            return compiled;
        }

        @Specialization(replaces = "cached")
        protected Pattern generic(String pattern) {
            return compileRegex(pattern, this);
        }

        @TruffleBoundary
        protected static Pattern compileRegex(String pattern, Node where) {
            try {
                return Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new RlxException("invalid regex " + e.getDescription() + " at index " + e.getIndex()
                        + " in \"" + pattern + "\"", where);
            }
        }
    }

    @Builtin(value = "matches(s, pattern)", doc = "whether pattern matches somewhere in s (anchor with ^ and $ for a whole match)")
    public abstract static class Matches extends BuiltinNode {
        @Specialization
        protected boolean matches(String s, String pattern, @Cached PatternNode patterns) {
            return find(patterns.execute(pattern), s);
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
    public abstract static class Find extends BuiltinNode {
        @Specialization
        protected Object find(String s, String pattern, @Cached PatternNode patterns) {
            return first(patterns.execute(pattern), s);
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
    public abstract static class FindAll extends BuiltinNode {
        @Specialization
        protected RlxList findAll(String s, String pattern, @Cached PatternNode patterns) {
            return all(patterns.execute(pattern), s);
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
    public abstract static class Groups extends BuiltinNode {
        @Specialization
        protected Object groups(String s, String pattern, @Cached PatternNode patterns) {
            return groups(patterns.execute(pattern), s);
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
