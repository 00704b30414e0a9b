package dev.rlx.lsp;

import dev.rlx.interpreter.api.EditorSession;
import dev.rlx.interpreter.api.RlxSession;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The one thread that owns the {@link EditorSession}: rlx sessions belong to the thread that made them, so every
 * request runs here, in arrival order. Its stack is large for the same reason `rlx` runs on a large-stack thread.
 */
final class Analysis {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(null, r, "rlx-lsp-analysis", 1L << 28);
                t.setDaemon(true);
                return t;
            });
    private EditorSession session;

    static String version() {
        return RlxSession.VERSION;
    }

    <T> CompletableFuture<T> submit(Function<EditorSession, T> work) {
        return CompletableFuture.supplyAsync(() -> {
            if (session == null) {
                session = new EditorSession();
            }
            return work.apply(session);
        }, thread);
    }

    void stop() {
        thread.shutdownNow();
    }
}
