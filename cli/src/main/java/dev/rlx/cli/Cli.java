package dev.rlx.cli;

import dev.rlx.engine.rl.RlDivergedException;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.interpreter.RlxLanguage;
import dev.rlx.interpreter.experiment.ExperimentRunner;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the command line and runs one command; returns the exit code (0 ok, 1 script error, 2 usage). */
public final class Cli {
    static final String USAGE = """
            usage: rlx <command> [options]

            commands:
              run FILE [--set name=value]...   evaluate a script; its experiment trains into runs/<name>-<hash>/
                  [--experiment NAME]          which experiment, when the script declares several
                  [--runs DIR]                 where run folders go (default: runs)
              run --resume RUN_DIR             continue a run from its last checkpoint
              check FILE...                    parse, resolve and check scripts without running them
              lock FILE [--set name=value]...  print the resolved script (imports inlined) and its run hash
              eval [--json] EXPR               evaluate one expression (std modules bound as credit, loss, ...)
              repl                             interactive session (:help for its commands)
              bench reward [--calls N] [--runs N]   .rlx reward via the engine API vs a Java lambda
              bench check FILE [--runs N]      wall time of `rlx check FILE` processes
              bench model [--warmup N] [--runs N] [--threads N] [--device D]
                                               GPT train step and KV-cache sampling (STACK.md model);
                                               bench/model_bench.sh compares with PyTorch
              help                             this text
              --version                        print the version and the Truffle runtime

            options:
              --set name=value   override a literal top-level binding of the script (repeatable)
              --verbose          show Java stack traces for internal errors
            """;

    private final PrintStream out;
    private final PrintStream err;
    private boolean verbose;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        verbose = args.remove("--verbose");
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.remove(0);
        try {
            return switch (command) {
                case "--version", "version" -> version();
                case "check" -> check(args);
                case "eval" -> eval(args);
                case "run" -> runScript(args);
                case "lock" -> lock(args);
                case "repl" -> new Repl(out, err).run();
                case "bench" -> bench(args);
                default -> usage("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (RlxError e) {
            err.println(e.formatted());
            return 1;
        } catch (RuntimeException | Error e) {
            err.println("rlx: internal error: " + e);
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("rlx: run with --verbose for the Java stack trace");
            }
            return 3;
        }
    }

    private int usage(String message) {
        err.println("rlx: " + message);
        err.print(USAGE);
        return 2;
    }

    private int version() {
        out.println("rlx " + RlxLanguage.VERSION);
        out.println("runtime: " + RlxSession.runtimeName() + " on Java " + System.getProperty("java.version"));
        return 0;
    }

    private int check(List<String> args) {
        Map<String, String> overrides = takeOverrides(args);
        if (args.isEmpty()) {
            throw new UsageException("check needs at least one FILE");
        }
        int failed = 0;
        try (RlxSession session = new RlxSession(out)) {
            for (String file : args) {
                Path path = existing(file);
                try {
                    session.load(path, overrides);
                    out.println(file + ": ok");
                } catch (RlxError e) {
                    err.println(e.formatted());
                    failed++;
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private int eval(List<String> args) {
        boolean json = args.remove("--json");
        if (args.size() != 1) {
            throw new UsageException("eval needs one expression (quote it)");
        }
        try (RlxSession session = new RlxSession(out)) {
            Object v = session.eval(args.get(0));
            out.println(json ? RlxSession.json(v) : RlxSession.display(v));
        }
        return 0;
    }

    private int lock(List<String> args) {
        Map<String, String> overrides = takeOverrides(args);
        if (args.size() != 1) {
            throw new UsageException("lock needs exactly one FILE");
        }
        try (RlxSession session = new RlxSession(out)) {
            RlxSession.Script script = session.load(existing(args.get(0)), overrides);
            String text = session.lockText(script);
            out.print(text);
            err.println("rlx: run hash " + RlxSession.runHash(text));
        }
        return 0;
    }

    private int runScript(List<String> args) {
        Map<String, String> overrides = takeOverrides(args);
        String experiment = stringOption(args, "--experiment");
        String resume = stringOption(args, "--resume");
        Path runsRoot = Path.of(java.util.Objects.requireNonNullElse(stringOption(args, "--runs"), "runs"));
        if (resume != null ? !args.isEmpty() || !overrides.isEmpty() : args.size() != 1) {
            throw new UsageException(resume != null ? "run --resume RUN_DIR takes no FILE or --set (the run's lock "
                    + "file holds its recipe)" : "run needs exactly one FILE");
        }
        try (RlxSession session = new RlxSession(out)) {
            ExperimentRunner.Prepared prepared;
            if (resume != null) {
                Path runDir = Path.of(resume);
                if (!Files.isDirectory(runDir)) {
                    throw new RlxError("error: no such run folder: " + resume, null);
                }
                prepared = ExperimentRunner.resume(session, runDir, experiment);
            } else {
                Path file = existing(args.get(0));
                RlxSession.Script script = ExperimentRunner.isLockFile(file)
                        ? session.loadLock(file, ExperimentRunner.fileRoot(file), overrides)
                        : session.load(file, overrides);
                for (var applied : script.overrides()) {
                    err.println("rlx: override " + applied);
                }
                session.evaluateAll(script);
                boolean hasExperiment = script.ast().decls().stream()
                        .anyMatch(d -> d.kind() == dev.rlx.interpreter.ast.Ast.DeclKind.EXPERIMENT);
                if (!hasExperiment) {
                    return 0; // a script without an experiment is just evaluated
                }
                prepared = ExperimentRunner.start(session, script, ExperimentRunner.pick(script, experiment), runsRoot);
            }
            return train(prepared, resume != null);
        }
    }

    /** Runs the trainer with a progress display; Ctrl-C finishes the step, checkpoints and stops. */
    private int train(ExperimentRunner.Prepared prepared, boolean resuming) {
        RlPlan plan = prepared.plan();
        err.println("rlx: " + (resuming ? "resuming " : "run folder ") + prepared.runDir());
        boolean terminal = System.console() != null && System.console().isTerminal();
        RunProgress progress = new RunProgress(out, terminal, plan.steps());
        Interrupts.onInterrupt(() -> {
            err.println("\nrlx: interrupted: finishing this step, then checkpointing (Ctrl-C again to abort)");
            progress.cancel();
        });
        try (RlTrainer.Result result = resuming ? RlTrainer.resume(plan, prepared.runDir(), progress)
                : RlTrainer.run(plan, progress)) {
            return result.summary().cancelled() ? 130 : 0;
        } catch (RlDivergedException e) {
            err.println("rlx: training diverged: " + e.getMessage());
            return 1;
        } finally {
            Interrupts.reset();
        }
    }

    private static String stringOption(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i);
        args.remove(i);
        return v;
    }

    private int bench(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("bench needs a benchmark name: reward, check or model");
        }
        String which = args.remove(0);
        long calls = longOption(args, "--calls", 1_000_000);
        int runs = (int) longOption(args, "--runs", which.equals("model") ? 20 : 5);
        try {
            switch (which) {
                case "reward" -> dev.rlx.cli.bench.RewardBench.run(out, calls, runs, 3);
                case "check" -> {
                    if (args.size() != 1) {
                        throw new UsageException("bench check needs one FILE");
                    }
                    dev.rlx.cli.bench.CheckBench.run(out, existing(args.get(0)), runs);
                }
                case "model" -> {
                    int warmup = (int) longOption(args, "--warmup", 5);
                    int threads = (int) longOption(args, "--threads", 2);
                    String device = stringOption(args, "--device", "cpu");
                    if (!args.isEmpty()) {
                        throw new UsageException("bench model: unexpected " + args.get(0));
                    }
                    dev.rlx.engine.bench.ModelBench.run(out, warmup, runs, device, threads);
                }
                default -> throw new UsageException("unknown benchmark '" + which + "' (reward, check or model)");
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }

    private static String stringOption(List<String> args, String name, String otherwise) {
        int i = args.indexOf(name);
        if (i < 0) {
            return otherwise;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i);
        args.remove(i);
        return v;
    }

    private static long longOption(List<String> args, String name, long otherwise) {
        int i = args.indexOf(name);
        if (i < 0) {
            return otherwise;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a number");
        }
        try {
            long v = Long.parseLong(args.get(i + 1));
            args.remove(i);
            args.remove(i);
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, got '" + args.get(i + 1) + "'");
        }
    }

    private static Path existing(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new RlxError("error: no such file: " + file, null);
        }
        return path;
    }

    /** Removes `--set name=value` (or `--set=name=value`) pairs from args, in order. */
    static Map<String, String> takeOverrides(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            String pair;
            if (a.equals("--set")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--set needs name=value");
                }
                pair = args.get(i + 1);
                args.remove(i);
                args.remove(i);
            } else if (a.startsWith("--set=")) {
                pair = a.substring(6);
                args.remove(i);
            } else {
                i++;
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set needs name=value, got '" + pair + "'");
            }
            String name = pair.substring(0, eq).strip();
            if (out.containsKey(name)) {
                throw new UsageException("--set " + name + " given twice");
            }
            out.put(name, pair.substring(eq + 1));
        }
        return out;
    }

    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
