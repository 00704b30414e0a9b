package dev.rlx.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during training: the first press asks the trainer to stop after the current step (it then
 * checkpoints); a second press ends the process at once. Outside training, Ctrl-C keeps its default.
 */
final class Interrupts {
    private static volatile boolean armed;
    /** Whether our handler replaced the JVM's, so that {@link #reset()} leaves an untouched JVM alone. */
    private static volatile boolean installed;

    private Interrupts() {}

    static void onInterrupt(Runnable firstPress) {
        armed = false;
        try {
            Signal.handle(new Signal("INT"), sig -> {
                if (armed) {
                    System.exit(130);
                }
                armed = true;
                firstPress.run();
            });
            installed = true;
        } catch (IllegalArgumentException e) {
            // no SIGINT on this platform (or the JVM reserves it): Ctrl-C keeps its default behaviour
        }
    }

    static void reset() {
        if (!installed) {
            return;
        }
        installed = false;
        try {
            Signal.handle(new Signal("INT"), SignalHandler.SIG_DFL);
        } catch (IllegalArgumentException e) {
            // as above
        }
    }
}
