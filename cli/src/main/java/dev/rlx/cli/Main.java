package dev.rlx.cli;

import dev.rlx.lsp.LspMain;
import java.util.function.IntSupplier;

/**
 * The `rlx` command. Runs the real work on a thread with a large stack so that deep (but legal)
 * recursion in a script hits rlx's own depth limit, with a clear error, before the JVM's.
 */
public final class Main {
    private static final long STACK_BYTES = 1L << 30;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        // `rlx lsp` speaks LSP on stdout, so nothing else may print there while it runs
        exitWith(() -> new Cli(System.out, System.err)
                .with("lsp", rest -> LspMain.serve(System.in, System.out))
                .run(args));
    }

    /** Runs {@code command} on the large-stack thread and exits the JVM with its code (rlx-bench's entry too). */
    public static void exitWith(IntSupplier command) throws InterruptedException {
        int[] exit = {0};
        Thread worker = new Thread(null, () -> exit[0] = command.getAsInt(), "rlx-main", STACK_BYTES);
        worker.start();
        worker.join();
        System.out.flush();
        System.exit(exit[0]);
    }
}
