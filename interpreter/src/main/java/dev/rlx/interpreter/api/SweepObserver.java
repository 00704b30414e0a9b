package dev.rlx.interpreter.api;

import java.nio.file.Path;
import java.util.Map;

/** What a host sees of a sweep while {@link RlxSweeps#run} goes through its grid. */
public interface SweepObserver {
    /** What happens to one run of the grid. */
    enum Action { RUN, RESUME, SKIP_DONE }

    /** Before run {@code index} (1-based) of {@code total}: its overrides, its folder and what happens to it. */
    default void onRun(int index, int total, Map<String, String> overrides, Path folder, Action action) {}

    /** The observer of the next run's training (a fresh one per run; Ctrl-C in it ends the sweep after that run). */
    RunObserver runObserver();
}
