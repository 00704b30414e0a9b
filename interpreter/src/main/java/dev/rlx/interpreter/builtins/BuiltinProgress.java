package dev.rlx.interpreter.builtins;

import com.oracle.truffle.api.nodes.Node;
import dev.rlx.interpreter.RlxContext;
import dev.rlx.interpreter.api.ProgressListener;
import java.util.Locale;

/** A builtin's steps reported to the session's {@link ProgressListener}, if the host set one. */
final class BuiltinProgress {
    private final ProgressListener listener;
    private final String task;
    private final int total;

    private BuiltinProgress(ProgressListener listener, String task, int total) {
        this.listener = listener;
        this.task = task;
        this.total = total;
    }

    static BuiltinProgress of(Node node, String task, int total) {
        return new BuiltinProgress(RlxContext.get(node).progress(), task, total);
    }

    /** {@code format} and {@code args} make the stats; formatted only when someone listens. */
    void step(int step, String format, Object... args) {
        if (listener != null) {
            listener.onProgress(task, step, total, String.format(Locale.ROOT, format, args));
        }
    }

    void end() {
        if (listener != null) {
            listener.onProgressEnd(task);
        }
    }
}
