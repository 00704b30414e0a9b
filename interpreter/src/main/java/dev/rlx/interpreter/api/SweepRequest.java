package dev.rlx.interpreter.api;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link RlxSweeps#run} runs.
 *
 * @param script the .rlx file
 * @param grid the `--set` axes, seeds and fixed overrides
 * @param experiments the experiments to run, each over the whole grid (the outermost axis); empty for the script's
 *     only one
 * @param sweepDir the sweep folder (its run folders go directly in it), or null for runs/sweep-<experiment> (several
 *     experiments: runs/sweep-<script name>)
 * @param target the eval accuracy whose first step the table reports, or NaN for none
 * @param command the command line, written at the top of sweep.md
 * @param timeLimit the top-level time limit of each run's script (null: none)
 */
public record SweepRequest(Path script, SweepGrid grid, java.util.List<String> experiments, Path sweepDir, double target, String command,
                           Duration timeLimit) {}
