package dev.rlx.interpreter.api;

import java.nio.file.Path;
import java.util.List;

/**
 * How a sweep ended: its folder, its table (sweep.md, sweep.json) and report (report.html), the runs trained or
 * continued now and those found done, and whether Ctrl-C stopped it early.
 */
public record SweepResult(Path dir, Path markdown, Path json, Path report, int ran, int skipped, boolean cancelled,
                          List<String> diverged, String table) {}
