package dev.rlx.interpreter.api;

import com.oracle.truffle.api.ThreadLocalAction;
import com.oracle.truffle.api.TruffleLanguage;
import dev.rlx.interpreter.runtime.RlxException;
import java.math.BigDecimal;

/**
 * Cancels a call that runs past its limit: a daemon thread checks the armed deadline every few
 * milliseconds and, when it has passed, asks Truffle to throw in the calling thread at its next
 * safepoint (every function entry polls one). Arming costs a clock read and two field writes.
 */
final class CallWatchdog {
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
        deadline = System.nanoTime() + limitNanos;
        armedToken = token;
    }

    void disarm() {
        armedToken = 0;
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
                env.submitThreadLocal(new Thread[] {owner}, new ThreadLocalAction(true, false) {
                    @Override
                    protected void perform(Access access) {
                        if (armedToken == token) {
                            throw new RlxException(message, hint, access.getLocation());
                        }
                    }
                });
            }
        }
    }

    /** 0.2 s, 10 s. */
    static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos / 1e9).stripTrailingZeros().toPlainString() + " s";
    }
}
