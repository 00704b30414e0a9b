package dev.rlx.cli;

/**
 * The `rlx` command. Runs the real work on a thread with a large stack so that deep (but legal)
 * recursion in a script hits rlx's own depth limit, with a clear error, before the JVM's.
 */
public final class Main {
    private static final long STACK_BYTES = 1L << 30;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int[] exit = {0};
        Thread worker = new Thread(null, () -> exit[0] = new Cli(System.out, System.err).run(args), "rlx-main",
                STACK_BYTES);
        worker.start();
        worker.join();
        System.out.flush();
        System.exit(exit[0]);
    }
}
