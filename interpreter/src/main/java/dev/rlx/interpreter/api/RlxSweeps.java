package dev.rlx.interpreter.api;

import dev.rlx.engine.report.ReportPage;
import dev.rlx.engine.report.RunRecord;
import dev.rlx.engine.report.SweepTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `rlx sweep`: the runs of a grid, one after another, each exactly the run `rlx run FILE --set ...` would make (a
 * fresh session, the same lock and run hash, its folder directly in the sweep folder). Run again, it continues: a
 * run whose run.json says it finished (or diverged) is skipped, one with a checkpoint is resumed as `rlx run
 * --resume` does, any other starts over. After every run it rewrites the table (sweep.md, sweep.json) and the
 * report (report.html), so a sweep stopped half-way still shows what it has.
 */
public final class RlxSweeps {
    public static final String MARKDOWN = "sweep.md";
    public static final String JSON = "sweep.json";
    public static final String REPORT = "report.html";

    private RlxSweeps() {}

    /** One run of the grid: its point (axes other than seed), seed, overrides and folder. */
    private record Planned(Map<String, String> point, String seed, Map<String, String> overrides, String experiment,
                           Path folder) {}

    public static SweepResult run(SweepRequest request, OutputStream scriptOut, SweepObserver observer) {
        List<Map<String, String>> points = request.grid().points();
        List<String> seeds = request.grid().seeds().isEmpty() ? java.util.Collections.singletonList(null)
                : request.grid().seeds();
        List<String> experiments = request.experiments().isEmpty() ? java.util.Collections.singletonList(null)
                : request.experiments();
        // every run's folder is known before anything trains: a script error shows at once, not after hours
        List<Planned> plan = new ArrayList<>();
        List<String[]> locks = new ArrayList<>();
        for (String experiment : experiments) {
            for (Map<String, String> point : points) {
                for (String seed : seeds) {
                    Map<String, String> overrides = request.grid().overrides(point, seed);
                    String[] lockAndExperiment = lock(request, experiment, overrides, scriptOut);
                    locks.add(lockAndExperiment);
                    Map<String, String> shown = point;
                    if (experiments.size() > 1) { // the experiment is a setting of the table's rows too
                        shown = new java.util.LinkedHashMap<>();
                        shown.put("experiment", lockAndExperiment[1]);
                        shown.putAll(point);
                    }
                    plan.add(new Planned(shown, seed, overrides, lockAndExperiment[1], null));
                }
            }
        }
        Path dir = request.sweepDir() != null ? request.sweepDir() : Path.of("runs", "sweep-" + (experiments.size() == 1
                ? plan.getFirst().experiment() : stem(request.script())));
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            String name = p.experiment() + "-" + RlxSession.runHash(locks.get(i)[0]);
            plan.set(i, new Planned(p.point(), p.seed(), p.overrides(), p.experiment(), dir.resolve(name)));
        }
        int ran = 0;
        int skipped = 0;
        boolean cancelled = false;
        List<String> diverged = new ArrayList<>();
        for (int i = 0; i < plan.size() && !cancelled; i++) {
            Planned p = plan.get(i);
            RunRecord existing = RunRecord.isRunFolder(p.folder()) ? RunRecord.read(p.folder()) : null;
            if (existing != null && (existing.complete() || existing.diverged() != null)) {
                observer.onRun(i + 1, plan.size(), p.overrides(), p.folder(), SweepObserver.Action.SKIP_DONE);
                skipped++;
                if (existing.diverged() != null) diverged.add(p.folder().getFileName().toString());
                continue;
            }
            boolean resume = existing != null && existing.latestCheckpoint().isPresent();
            observer.onRun(i + 1, plan.size(), p.overrides(), p.folder(),
                    resume ? SweepObserver.Action.RESUME : SweepObserver.Action.RUN);
            try (RlxSession session = new RlxSession(scriptOut)) {
                session.setTimeLimit(request.timeLimit());
                RunRequest rr = resume ? RunRequest.ofResume(p.folder(), p.experiment())
                        : RunRequest.ofScript(request.script(), p.overrides(), p.experiment(), p.folder().getParent());
                RunOutcome outcome = RlxRuns.run(session, rr, observer.runObserver());
                ran++;
                if (outcome instanceof RunOutcome.Trained t && t.summary().cancelled()) cancelled = true;
                if (outcome instanceof RunOutcome.Diverged) diverged.add(p.folder().getFileName().toString());
            }
            writeOutputs(request, dir, plan);
        }
        String table = writeOutputs(request, dir, plan);
        return new SweepResult(dir, dir.resolve(MARKDOWN), dir.resolve(JSON), dir.resolve(REPORT), ran, skipped, cancelled,
                diverged, table);
    }

    /** The lock text and experiment of one run, loaded in a session of its own (as `rlx lock` does). */
    private static String[] lock(SweepRequest request, String experimentAsked, Map<String, String> overrides,
                                 OutputStream scriptOut) {
        try (RlxSession session = new RlxSession(scriptOut)) {
            Path file = request.script();
            RlxSession.Script script = RunFolders.isLockFile(file) ? RunFolders.loadLock(session, file, overrides)
                    : session.load(file, overrides);
            String experiment = RlxRuns.pick(script, experimentAsked);
            return new String[] {session.lockText(script), experiment};
        }
    }

    /** Rewrites sweep.md, sweep.json and report.html from the run folders there are; returns the Markdown. */
    private static String writeOutputs(SweepRequest request, Path dir, List<Planned> plan) {
        List<SweepTable.Point> points = new ArrayList<>();
        List<RunRecord> all = new ArrayList<>();
        Map<String, String> current = null;
        List<String> seeds = null;
        List<RunRecord> runs = null;
        for (Planned p : plan) {
            if (!p.point().equals(current)) {
                current = p.point();
                seeds = new ArrayList<>();
                runs = new ArrayList<>();
                points.add(new SweepTable.Point(current, seeds, runs));
            }
            if (!RunRecord.isRunFolder(p.folder())) continue;
            RunRecord r = RunRecord.read(p.folder());
            seeds.add(p.seed() != null ? p.seed() : dev.rlx.engine.report.RunGroup.seed(r));
            runs.add(r);
            all.add(r);
        }
        points.removeIf(pt -> pt.runs().isEmpty());
        String md = SweepTable.markdown(request.command(), points, request.target());
        List<String> experiments = plan.stream().map(Planned::experiment).distinct().toList();
        String experiment = String.join(", ", experiments);
        write(dir.resolve(MARKDOWN), md);
        write(dir.resolve(JSON), SweepTable.json(request.command(), request.script().toString(), experiments,
                request.grid().asMap(), points, request.target()));
        if (!all.isEmpty()) {
            new ReportPage("rlx sweep: " + experiment + " (" + dir.getFileName() + ")", all).write(dir.resolve(REPORT));
        }
        return md;
    }

    /** The script's file name without .rlx (the default sweep folder of several experiments). */
    private static String stem(Path script) {
        String n = script.getFileName().toString();
        return n.endsWith(".rlx") ? n.substring(0, n.length() - 4) : n;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RlxError("error: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
