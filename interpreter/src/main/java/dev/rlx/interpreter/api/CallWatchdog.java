package dev.rlx.interpreter.api;

import com.oracle.truffle.api.ThreadLocalAction;
import com.oracle.truffle.api.TruffleLanguage;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.runtime.RlxException;
import java.math.BigDecimal;

/**
 * Cancels a call that runs past its limit: a daemon thread checks the armed deadline every few
 * milliseconds and, when it has passed, asks Truffle to throw in the calling thread at its next
 * safepoint (every function entry polls one). Arming costs a clock read and two field writes.
 *
 * <p>Limits nest (a reward call's limit inside a top-level evaluation's: {@link #save} / {@link #restore}),
 * the clock can be paused while engine builtins run ({@link #pause}: a top-level limit bounds what the script
 * computes, not an SFT it starts), and {@link #cancel} stops whatever is armed at once (Ctrl-C in the REPL).
 */
final class CallWatchdog {
    /** What is armed, to put back after a nested limit; token 0 = nothing. */
    record State(long token, long deadline, String function, long limit, String limitName) {}

    private final TruffleLanguage.Env env;
    private final Thread owner;
    private volatile long deadline;
    private volatile long armedToken;
    private volatile String function;
    private volatile long limit;
    private volatile String limitName;
    private long nextToken;
    private Thread thread;

    CallWatchdog(TruffleLanguage.Env env, Thread owner) {
        this.env = env;
        this.owner = owner;
    }

    /** Arms the deadline for one call of {@code name}; {@code limitName} (may be null) is what sets the limit. */
    void arm(long limitNanos, String name, String limitName) {
        if (thread == null) {
            thread = new Thread(this::watch, "rlx-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
        long token = ++nextToken;
        function = name;
        limit = limitNanos;
        this.limitName = limitName;
        long now = System.nanoTime();
        deadline = limitNanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + limitNanos;
        armedToken = token;
    }

    void disarm() {
        armedToken = 0;
    }

    State save() {
        return new State(armedToken, deadline, function, limit, limitName);
    }

    void restore(State s) {
        armedToken = 0;
        function = s.function();
        limit = s.limit();
        limitName = s.limitName();
        deadline = s.deadline();
        armedToken = s.token();
    }

    /** Stops the clock until the returned handle is closed; the deadline then moves by the time paused. */
    RlxContext.PausedClock pause() {
        State s = save();
        disarm();
        long start = System.nanoTime();
        return () -> {
            long paused = System.nanoTime() - start;
            long moved = s.deadline() >= Long.MAX_VALUE - paused ? Long.MAX_VALUE : s.deadline() + paused;
            restore(new State(s.token(), moved, s.function(), s.limit(), s.limitName()));
        };
    }

    /** Cancels what is armed now (nothing, when nothing is); the error says {@code message}. */
    void cancel(String message, String hint) {
        long token = armedToken;
        if (token == 0) return;
        submit(token, message, hint);
    }

    void stop() {
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void watch() {
        long fired = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
            long token = armedToken;
            if (token != 0 && token != fired && System.nanoTime() > deadline) {
                fired = token;
                String message = "'" + function + "' exceeded its time limit of " + seconds(limit) + " and was cancelled";
                String hint = "make it cheaper, or raise " + (limitName == null ? "the limit" : limitName);
                submit(token, message, hint);
            }
        }
    }

    private void submit(long token, String message, String hint) {
        env.submitThreadLocal(new Thread[] {owner}, new ThreadLocalAction(true, false) {
            @Override
            protected void perform(Access access) {
                if (armedToken == token) {
                    throw new RlxException(message, hint, access.getLocation());
                }
            }
        });
    }

    /** 0.2 s, 10 s. */
    static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos / 1e9).stripTrailingZeros().toPlainString() + " s";
    }
}
