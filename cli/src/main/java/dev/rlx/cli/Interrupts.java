package dev.rlx.cli;

import sun.misc.Signal;

/**
 * Ctrl-C during training: the first press asks the trainer to stop after the current step (it then
 * checkpoints); a second press ends the process at once. Outside training, Ctrl-C keeps its default.
 */
final class Interrupts {
    private static volatile boolean armed;

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
        } catch (IllegalArgumentException e) {
            // no SIGINT on this platform (or the JVM reserves it): Ctrl-C keeps its default behaviour
        }
    }

    static void reset() {
        try {
            Signal.handle(new Signal("INT"), sun.misc.SignalHandler.SIG_DFL);
        } catch (IllegalArgumentException e) {
            // as above
        }
    }
}
