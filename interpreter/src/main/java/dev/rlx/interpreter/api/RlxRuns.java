package dev.rlx.interpreter.api;

import dev.rlx.engine.pref.PreferencePlan;
import dev.rlx.engine.pref.PreferenceTrainer;
import dev.rlx.engine.rl.RlDivergedException;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.rl.RunSummary;
import dev.rlx.engine.rl.StepMetrics;
import dev.rlx.engine.tensor.Numerics;
import dev.rlx.interpreter.ast.Ast;
import dev.rlx.interpreter.experiment.ExperimentRunner;
import dev.rlx.interpreter.experiment.PreferenceRunner;
import java.nio.file.Path;
import java.util.List;

/**
 * `rlx run` as one call: loads the script (or the run folder to resume), evaluates it, prepares the run folder,
 * trains its experiment and reports progress to a {@link RunObserver}. The engine's trainer, plan and listener
 * types stay behind this class, so a host needs nothing but this package.
 */
public final class RlxRuns {
    private RlxRuns() {}

    /**
     * Runs {@code request} in {@code session}. Script errors, before or during training, are {@link RlxError}s;
     * a run that diverges is an outcome, since its folder holds a valid last checkpoint.
     */
    public static RunOutcome run(RlxSession session, RunRequest request, RunObserver observer) {
        RlxSession.Script script;
        String experiment;
        Path runFolder;
        if (request.resuming()) {
            runFolder = request.resumeFolder();
            script = RunFolders.loadForResume(session, runFolder);
            experiment = pick(script, request.experiment());
        } else {
            Path file = request.script();
            script = RunFolders.isLockFile(file) ? RunFolders.loadLock(session, file, request.overrides())
                    : session.load(file, request.overrides());
            for (var applied : script.overrides()) {
                observer.onOverride(applied.toString());
            }
            session.evaluateAll(script);
            if (experiments(script).isEmpty()) {
                return new RunOutcome.Evaluated(); // a script without an experiment is just evaluated
            }
            experiment = pick(script, request.experiment());
            runFolder = RunFolders.create(session, script, experiment, request.runsRoot());
        }
        RunListener listener = new ObserverListener(observer);
        try {
            if (ExperimentRunner.isPreference(session, script, experiment)) {
                PreferencePlan plan = PreferenceRunner.plan(session, script, experiment, runFolder);
                pinInputs(session, request, script, runFolder, observer);
                startRunJson(request, runFolder, experiment, plan.steps(), plan.decoding(), plan.eval(), observer);
                observer.onStart(runFolder, request.resuming(), plan.steps());
                try (PreferenceTrainer.Result result = request.resuming()
                        ? PreferenceTrainer.resume(plan, runFolder, listener) : PreferenceTrainer.run(plan, listener)) {
                    return ended(runFolder, summary(result.summary()), plan.steps());
                }
            }
            RlPlan plan = ExperimentRunner.plan(session, script, experiment, runFolder);
            pinInputs(session, request, script, runFolder, observer);
            startRunJson(request, runFolder, experiment, plan.steps(), plan.rollout(), plan.eval(), observer);
            observer.onStart(runFolder, request.resuming(), plan.steps());
            try (RlTrainer.Result result = request.resuming() ? RlTrainer.resume(plan, runFolder, listener)
                    : RlTrainer.run(plan, listener)) {
                return ended(runFolder, summary(result.summary()), plan.steps());
            }
        } catch (RlDivergedException e) {
            RunJson.diverged(runFolder, e.getMessage());
            return new RunOutcome.Diverged(e.getMessage());
        }
    }

    /** Records how training ended in run.json (complete: every step ran, not stopped by Ctrl-C). */
    private static RunOutcome ended(Path runFolder, TrainingSummary summary, int steps) {
        RunJson.end(runFolder, summary, !summary.cancelled() && summary.stepsDone() >= steps);
        return new RunOutcome.Trained(summary);
    }

    /**
     * Once the plan is built (every file the script reads has been read): checks the files a resumed run, or the
     * run whose lock is being run again, read before (RunInputs), then records what this run read.
     */
    private static void pinInputs(RlxSession session, RunRequest request, RlxSession.Script script, Path runFolder,
                                  RunObserver observer) {
        Path lock = request.resuming() ? runFolder.resolve(RunFolders.LOCK)
                : RunFolders.isLockFile(request.script()) ? request.script() : null;
        Path root = lock != null ? RunFolders.fileRoot(lock)
                : script.path() == null ? Path.of("").toAbsolutePath() : script.path().toAbsolutePath().normalize().getParent();
        if (lock != null) {
            Path recorded = lock.toAbsolutePath().normalize().resolveSibling(RunInputs.NAME);
            List<String> changes = RunInputs.changes(recorded, root);
            if (!changes.isEmpty() && !request.acceptChangedInputs()) {
                throw new RlxError("error: " + changes.get(0) + (changes.size() > 1 ? " (and " + (changes.size() - 1)
                        + " more)" : "") + "\n  hint: this run's inputs are pinned in " + recorded + "; restore the file, "
                        + "or pass --accept-changed-inputs to go on with it as it is now", null);
            }
            changes.forEach(c -> observer.onNotice("accepted: " + c));
        }
        RunInputs.write(runFolder, RunInputs.digests(root, session.inputsRead()));
    }

    /** Writes run.json as training starts, after saying whether this process's numerics differ from the run's. */
    private static void startRunJson(RunRequest request, Path runFolder, String experiment, int steps,
                                     RlPlan.Rollout decoding, RlPlan.Eval eval, RunObserver observer) {
        Numerics now = Numerics.current();
        RunJson.start(runFolder, experiment, steps, decoding, eval, compareNumerics(request, runFolder, now, observer), now);
    }

    /**
     * Says when this process computes other last bits than the run it continues (a resume) or repeats (its lock run
     * again from its run folder): a notice, not an error, since moving a run to another machine is legitimate, but
     * the one explanation a user needs when the figures then differ. Returns the numerics the run started with (a
     * resumed run made before rlx recorded them: null, so that the resume's are not recorded as its start's).
     */
    private static Numerics compareNumerics(RunRequest request, Path runFolder, Numerics now, RunObserver observer) {
        if (request.resuming()) {
            Numerics started = RunJson.numerics(runFolder);
            if (started == null) return null;
            List<String> changes = started.changesTo(now);
            if (!changes.isEmpty()) {
                observer.onNotice("this process's numerics differ from those the run started with ("
                        + String.join(", ", changes) + "): the steps from here will not be bit-identical to an"
                        + " uninterrupted run" + threadsHint(started, now));
            }
            return started;
        }
        if (RunFolders.isLockFile(request.script())) {
            Path lockedRun = request.script().toAbsolutePath().normalize().getParent();
            Numerics locked = lockedRun == null ? null : RunJson.numerics(lockedRun);
            List<String> changes = locked == null ? List.of() : locked.changesTo(now);
            if (!changes.isEmpty()) {
                observer.onNotice("this process's numerics differ from those of the run this lock comes from ("
                        + String.join(", ", changes) + "): its numbers will differ in their last bits, and an RL"
                        + " run's figures drift from there" + threadsHint(locked, now));
            }
        }
        return now;
    }

    private static String threadsHint(Numerics then, Numerics now) {
        return then.intraOpThreads() == now.intraOpThreads() ? "" : "; RLX_JAVA_OPTS=-Dai.djl.pytorch.num_threads="
                + then.intraOpThreads() + " runs with the run's thread count";
    }

    /** The experiment to run: the only one in the script, or the one named. */
    static String pick(RlxSession.Script script, String requested) {
        List<String> experiments = experiments(script);
        if (requested != null) {
            if (!experiments.contains(requested)) {
                throw new RlxError("error: " + script.source().name() + " has no experiment '" + requested + "'"
                        + (experiments.isEmpty() ? "" : " (experiments: " + String.join(", ", experiments) + ")"), null);
            }
            return requested;
        }
        if (experiments.size() != 1) {
            throw new RlxError("error: " + script.source().name() + (experiments.isEmpty() ? " declares no experiment"
                    : " declares several experiments (" + String.join(", ", experiments) + "); choose one with --experiment NAME"),
                    null);
        }
        return experiments.get(0);
    }

    static List<String> experiments(RlxSession.Script script) {
        return script.ast().decls().stream().filter(d -> d.kind() == Ast.DeclKind.EXPERIMENT).map(Ast.Decl::name).toList();
    }

    private static TrainingSummary summary(RunSummary s) {
        return new TrainingSummary(s.stepsDone(), s.startAccuracy(), s.finalAccuracy(), s.bestStep(), s.bestAccuracy(),
                s.seconds(), s.cancelled(), s.lastCheckpoint());
    }

    /** The engine's view of an observer. */
    private record ObserverListener(RunObserver observer) implements RunListener {
        @Override
        public void onStep(StepMetrics metrics) {
            observer.onStep(metrics.step(), metrics.values());
        }

        @Override
        public void onEval(int step, double accuracy) {
            observer.onEval(step, accuracy);
        }

        @Override
        public void onCheckpoint(int step, Path dir) {
            observer.onCheckpoint(step, dir);
        }

        @Override
        public void onNotice(String message) {
            observer.onNotice(message);
        }

        @Override
        public void onEnd(RunSummary summary) {
            observer.onEnd(summary(summary));
        }

        @Override
        public boolean cancelled() {
            return observer.cancelled();
        }
    }
}
