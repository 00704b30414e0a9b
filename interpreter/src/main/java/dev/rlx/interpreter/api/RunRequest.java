package dev.rlx.interpreter.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link RlxRuns#run} runs: a script, or a run's recipe.lock.rlx, with `--set` overrides, training into a
 * new folder under {@code runsRoot}; or an existing run folder to continue from its last checkpoint.
 *
 * @param script the .rlx file (null when resuming)
 * @param overrides `--set name=value` pairs, applied in this order
 * @param experiment the experiment to run, or null for the script's only one
 * @param runsRoot where new run folders go (null when resuming)
 * @param resumeFolder the run folder to continue (null for a new run)
 */
public record RunRequest(Path script, Map<String, String> overrides, String experiment, Path runsRoot,
                         Path resumeFolder, boolean acceptChangedInputs) {
    public RunRequest {
        if ((script == null) == (resumeFolder == null)) {
            throw new IllegalArgumentException("a run request names either a script or a run folder to resume");
        }
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** A new run of {@code script}'s experiment (the named one, or the only one when null). */
    public static RunRequest ofScript(Path script, Map<String, String> overrides, String experiment, Path runsRoot) {
        return new RunRequest(script, overrides, experiment, Objects.requireNonNull(runsRoot), null, false);
    }

    /** Continues the run in {@code runFolder}; its lock file holds the recipe, so there are no overrides. */
    public static RunRequest ofResume(Path runFolder, String experiment) {
        return new RunRequest(null, Map.of(), experiment, null, runFolder, false);
    }

    /**
     * The same request, going ahead when data, model or tokenizer files the run read before have changed
     * (their new digests are recorded); without it such a run stops and names the file.
     */
    public RunRequest acceptingChangedInputs() {
        return new RunRequest(script, overrides, experiment, runsRoot, resumeFolder, true);
    }

    public boolean resuming() {
        return resumeFolder != null;
    }
}
