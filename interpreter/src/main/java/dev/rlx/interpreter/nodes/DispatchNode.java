package dev.rlx.interpreter.nodes;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.RootCallTarget;
import com.oracle.truffle.api.dsl.Cached;
import com.oracle.truffle.api.dsl.Fallback;
import com.oracle.truffle.api.dsl.GenerateInline;
import com.oracle.truffle.api.dsl.Specialization;
import com.oracle.truffle.api.nodes.DirectCallNode;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.IndirectCallNode;
import com.oracle.truffle.api.nodes.Node;
import dev.rlx.interpreter.runtime.Missing;
import dev.rlx.interpreter.runtime.RlxException;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Signature;
import dev.rlx.interpreter.runtime.Types;
import java.util.Arrays;

/**
 * Calls a function value with the arguments of one call site. Named arguments are matched to
 * parameters once per callee (the layout is cached with the call target), so a monomorphic call
 * costs an array copy and a direct call. Builtins get a per-call-site copy of their call target so
 * that their caches (e.g. compiled regexes) belong to this site.
 */
@GenerateInline(false)
public abstract class DispatchNode extends Node {
    /** Layout entry for "the caller left this parameter out". */
    private static final int MISSING = -1;
    /** Layout entry for "collect the remaining positional arguments into a list" (variadic tail). */
    private static final int REST = -2;

    private final String[] argNames;
    private final int positional;

    protected DispatchNode(String[] argNames) {
        this.argNames = argNames;
        int p = 0;
        while (p < argNames.length && argNames[p] == null) {
            p++;
        }
        this.positional = p;
    }

    public static DispatchNode create(String[] argNames) {
        return DispatchNodeGen.create(argNames);
    }

    /** For builtins that call function values with {@code n} positional arguments. */
    public static DispatchNode positional(int n) {
        return DispatchNodeGen.create(new String[n]);
    }

    public abstract Object execute(Object function, Object[] arguments);

    @Specialization(guards = "fn.callTarget() == cachedTarget", limit = "3")
    protected Object direct(RlxFunction fn, Object[] arguments,
                            @Cached("fn.callTarget()") RootCallTarget cachedTarget,
                            @Cached("layout(fn.signature())") int[] layout,
                            @Cached("createCall(fn)") DirectCallNode call) {
        return call.call(arrange(fn, layout, arguments));
    }

    @Specialization(replaces = "direct")
    protected Object indirect(RlxFunction fn, Object[] arguments, @Cached IndirectCallNode call) {
        return call.call(fn.callTarget(), arrange(fn, layoutBoundary(fn.signature()), arguments));
    }

    /** A single-term reward declared with `reward f(s) = ...` is also callable as `f(s)`. */
    @Specialization(guards = "reward.isSingle()")
    protected Object reward(RlxReward reward, Object[] arguments, @Cached IndirectCallNode call) {
        RlxFunction fn = reward.terms().get(0).function();
        return call.call(fn.callTarget(), arrange(fn, layoutBoundary(fn.signature()), arguments));
    }

    @Fallback
    protected Object notCallable(Object fn, Object[] arguments) {
        throw new RlxException("cannot call a " + Types.name(fn), this);
    }

    protected static DirectCallNode createCall(RlxFunction fn) {
        DirectCallNode call = DirectCallNode.create(fn.callTarget());
        if (fn.isBuiltin() && call.isCallTargetCloningAllowed()) {
            call.cloneCallTarget();
        }
        return call;
    }

    @ExplodeLoop
    private Object[] arrange(RlxFunction fn, int[] layout, Object[] arguments) {
        Object[] args = new Object[layout.length + 1];
        args[0] = fn.enclosing();
        for (int i = 0; i < layout.length; i++) {
            int from = layout[i];
            args[i + 1] = from >= 0 ? arguments[from] : from == MISSING ? Missing.INSTANCE : rest(arguments, i);
        }
        return args;
    }

    @TruffleBoundary
    private RlxList rest(Object[] arguments, int start) {
        return new RlxList(Arrays.copyOfRange(arguments, start, Math.max(start, positional)));
    }

    @TruffleBoundary
    protected int[] layoutBoundary(Signature sig) {
        return layout(sig);
    }

    /** For each parameter, the index of the argument that fills it; checks the call against the signature. */
    protected int[] layout(Signature sig) {
        String[] problem = sig.checkCall(positional,
                Arrays.asList(argNames).subList(positional, argNames.length));
        if (problem != null) {
            throw new RlxException(problem[0], problem[1], this);
        }
        int n = sig.arity();
        int fixed = sig.isVariadic() ? n - 1 : n;
        int[] layout = new int[n];
        Arrays.fill(layout, MISSING);
        for (int i = 0; i < Math.min(positional, fixed); i++) {
            layout[i] = i;
        }
        if (sig.isVariadic() && positional > fixed) {
            layout[n - 1] = REST;
        }
        for (int a = positional; a < argNames.length; a++) {
            layout[sig.indexOf(argNames[a])] = a;
        }
        return layout;
    }
}
