package dev.rlx.interpreter.api;

import dev.rlx.interpreter.runtime.Missing;
import dev.rlx.interpreter.runtime.RlxFunction;
import dev.rlx.interpreter.runtime.RlxReward;
import dev.rlx.interpreter.runtime.Signature;
import dev.rlx.interpreter.runtime.Types;
import java.time.Duration;
import java.util.List;

/**
 * The engine-facing way to call a script function from Java (a reward per sample, a credit or loss
 * function per batch) with positional arguments and a time limit. Checks the arity once, up front.
 * Must be used on the session's thread.
 */
public final class FunctionHandle {
    private final RlxSession session;
    private final RlxFunction function;
    private final int arity;
    private final long limitNanos;
    private final String limitName;

    FunctionHandle(RlxSession session, Object value, int arity, Duration limit, String limitName) {
        RlxFunction fn = value instanceof RlxReward r && r.isSingle() ? r.terms().get(0).function()
                : value instanceof RlxFunction f ? f : null;
        if (fn == null) {
            throw new IllegalArgumentException("expected a function, got a " + Types.name(value));
        }
        Signature sig = fn.signature();
        String[] problem = sig.checkCall(arity, List.of());
        if (problem != null) {
            throw new IllegalArgumentException(problem[0] + " (" + problem[1] + ")");
        }
        this.session = session;
        this.function = fn;
        this.arity = arity;
        this.limitNanos = limit == null ? 0 : limit.toNanos();
        this.limitName = limitName;
    }

    public String name() {
        return function.name();
    }

    /** Calls the function; a script error or an exceeded time limit is an {@link RlxError}. */
    public Object call(Object... args) {
        if (args.length != arity) {
            throw new IllegalArgumentException(name() + ": expected " + arity + " arguments, got " + args.length);
        }
        Object[] frameArgs = new Object[function.signature().arity() + 1];
        frameArgs[0] = function.enclosing();
        for (int i = 1; i < frameArgs.length; i++) {
            frameArgs[i] = i <= args.length ? args[i - 1] : Missing.INSTANCE;
        }
        return session.callWithLimit(function, frameArgs, limitNanos, limitName);
    }
}
