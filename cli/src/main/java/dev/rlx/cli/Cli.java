package dev.rlx.cli;

import static dev.rlx.cli.CommandArgs.existingFile;
import static dev.rlx.cli.CommandArgs.existingRunFolder;
import static dev.rlx.cli.CommandArgs.stringOption;
import static dev.rlx.cli.CommandArgs.takeOverrides;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxRuns;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.api.RunOutcome;
import dev.rlx.interpreter.api.RunRequest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
                  [--accept-changed-inputs]    go on although data/model files the run read have changed
              sweep FILE --set name=v1,v2,...  the grid of comma-separated --set values (seed innermost), one run
                  [--set name=value]...        after another into one sweep folder (--runs DIR, default
                  [--experiment NAME[,NAME...]]  runs/sweep-<experiment>); run again, it continues; writes sweep.md and
                  [--runs DIR] [--target ACC]  sweep.json (over seeds: final and best accuracy, steps to ACC), report.html
              report DIR... [-o FILE.html]     one self-contained HTML page of run or sweep folders: a chart per
                                               metric, seeds as mean and min-max band, summary, locks, samples
              evaluate MODEL_OR_RUN            greedy accuracy, mean reward and pass@k (unbiased) of a model,
                  --data EXPR --metric NAME    checkpoint or run folder (its newest checkpoint) on a dataset (an rlx
                  [--samples n] [--pass-at k...]   expression) by a reward; a run's bindings (test, correct) and
                  [--max-tokens N] [--temperature T] [--seed S] [--json]    eval decoding are the defaults
              check FILE...                    parse, resolve and check scripts without running them
              lock FILE [--set name=value]...  print the resolved script (imports inlined) and its run hash
              fmt FILE... [--check]            rewrite scripts in the canonical layout (comments kept); --check
                                               only names the files that would change (exit 1)
              lsp                              the Language Server (LSP over stdin/stdout) for editors
              export FILE --to trl DIR         write a TRL project (train.py, config.yaml, the policy as a Hugging
                  [--experiment NAME] [--set ...]  Face folder, JSONL data, accelerate configs); refuses, listing each
                                               part with its location, what TRL cannot run as written
              serve-rewards FILE               the experiment's rewards over stdin/stdout (JSON lines), for the
                  [--experiment NAME] [--set ...]  exported project's training processes
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
              --time-limit S     cancel evaluating a top-level binding, an eval expression or a REPL input
                                 after S seconds of script computation (engine work such as sft does not
                                 count); defaults: run 600, eval 60, repl none; 0 = none
              --verbose          show Java stack traces for internal errors
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, Subcommand> subcommands = new HashMap<>();
    private boolean verbose;

    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Adds a command from another module (the launcher runs `rlx bench` with rlx-bench's). */
    public Cli with(String name, Subcommand command) {
        subcommands.put(name, command);
        return this;
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
                case "sweep" -> new SweepCommand(out, err).run(args);
                case "report" -> new ReportCommand(out).run(args);
                case "evaluate" -> new EvaluateCommand(out).run(args);
                case "fmt" -> new FormatCommand(out, err).run(args);
                case "repl" -> new Repl(out, err, timeLimit(args, 0)).run();
                case "export" -> ExportCommands.export(args, out, err);
                case "serve-rewards" -> ExportCommands.serveRewards(args, System.in, out, err);
                default -> {
                    Subcommand added = subcommands.get(command);
                    yield added != null ? added.run(args) : usage(switch (command) {
                        case "bench" -> "bench comes with the rlx-bench module; run it through the launcher (./rlx bench ...)";
                        case "lsp" -> "lsp comes with the rlx-lsp module; run it through the launcher (./rlx lsp)";
                        default -> "unknown command '" + command + "'";
                    });
                }
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
        out.println("rlx " + RlxSession.VERSION);
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
                Path path = existingFile(file);
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

    /** {@code --time-limit SECONDS} (0: none), or {@code defaultSeconds}. */
    static java.time.Duration timeLimit(List<String> args, double defaultSeconds) {
        String v = stringOption(args, "--time-limit", null);
        double seconds = defaultSeconds;
        if (v != null) {
            try {
                seconds = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new UsageException("--time-limit needs a number of seconds (0 for none), got '" + v + "'");
            }
        }
        return seconds == 0 ? null : java.time.Duration.ofNanos((long) (seconds * 1e9));
    }

    private int eval(List<String> args) {
        boolean json = args.remove("--json");
        java.time.Duration limit = timeLimit(args, 60);
        if (args.size() != 1) {
            throw new UsageException("eval needs one expression (quote it)");
        }
        try (RlxSession session = new RlxSession(out)) {
            session.setTimeLimit(limit);
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
            RlxSession.Script script = session.load(existingFile(args.get(0)), overrides);
            String text = session.lockText(script);
            out.print(text);
            err.println("rlx: run hash " + RlxSession.runHash(text));
        }
        return 0;
    }

    private int runScript(List<String> args) {
        Map<String, String> overrides = takeOverrides(args);
        String experiment = stringOption(args, "--experiment", null);
        String resume = stringOption(args, "--resume", null);
        Path runsRoot = Path.of(stringOption(args, "--runs", "runs"));
        java.time.Duration limit = timeLimit(args, 600);
        boolean acceptChanged = args.remove("--accept-changed-inputs");
        if (resume != null ? !args.isEmpty() || !overrides.isEmpty() : args.size() != 1) {
            throw new UsageException(resume != null ? "run --resume RUN_DIR takes no FILE or --set (the run's lock "
                    + "file holds its recipe)" : "run needs exactly one FILE");
        }
        try (RlxSession session = new RlxSession(out)) {
            session.setTimeLimit(limit);
            RunRequest request = resume != null ? RunRequest.ofResume(existingRunFolder(resume), experiment)
                    : RunRequest.ofScript(existingFile(args.get(0)), overrides, experiment, runsRoot);
            if (acceptChanged) {
                request = request.acceptingChangedInputs();
            }
            boolean terminal = System.console() != null && System.console().isTerminal();
            if (terminal) {
                session.setProgressListener(new ProgressLine(err));
            }
            RunOutcome outcome = RlxRuns.run(session, request, new RunProgress(out, err, terminal));
            return switch (outcome) {
                case RunOutcome.Evaluated evaluated -> 0;
                case RunOutcome.Trained trained -> trained.summary().cancelled() ? 130 : 0;
                case RunOutcome.Diverged diverged -> {
                    err.println("rlx: training diverged: " + diverged.reason());
                    yield 1;
                }
            };
        } finally {
            Interrupts.reset();
        }
    }
}
