package dev.rlx.cli.bench;

import static dev.rlx.cli.CommandArgs.existingFile;
import static dev.rlx.cli.CommandArgs.longOption;
import static dev.rlx.cli.CommandArgs.stringOption;

import dev.rlx.cli.Subcommand;
import dev.rlx.cli.UsageException;
import dev.rlx.engine.bench.LargeModelBench;
import dev.rlx.engine.bench.ModelBench;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** `rlx bench reward|check|model`: the benchmarks a user runs through the launcher. */
public final class BenchCommand implements Subcommand {
    private final PrintStream out;

    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public int run(List<String> args) {
        if (args.isEmpty()) {
            throw new UsageException("bench needs a benchmark name: reward, check or model");
        }
        String which = args.remove(0);
        long calls = longOption(args, "--calls", 1_000_000);
        int runs = (int) longOption(args, "--runs", which.equals("model") ? 20 : 5);
        try {
            switch (which) {
                case "reward" -> RewardBench.run(out, calls, runs, 3);
                case "check" -> {
                    if (args.size() != 1) {
                        throw new UsageException("bench check needs one FILE");
                    }
                    CheckBench.run(out, existingFile(args.get(0)), runs);
                }
                case "model" -> {
                    int warmup = (int) longOption(args, "--warmup", 5);
                    int threads = (int) longOption(args, "--threads", 2);
                    String device = stringOption(args, "--device", "cpu");
                    String shape = stringOption(args, "--shape", null);
                    if (!args.isEmpty()) {
                        throw new UsageException("bench model: unexpected " + args.get(0));
                    }
                    if (shape == null) {
                        ModelBench.run(out, warmup, runs, device, threads);
                    } else if (!LargeModelBench.SHAPES.contains(shape)) {
                        throw new UsageException("bench model: unknown --shape '" + shape + "' (known: "
                                + String.join(", ", LargeModelBench.SHAPES) + ")");
                    } else {
                        LargeModelBench.run(out, shape, warmup, runs, device, threads);
                    }
                }
                default -> throw new UsageException("unknown benchmark '" + which + "' (reward, check or model)");
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return 0;
    }
}
