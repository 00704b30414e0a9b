package dev.rlx.interpreter.api;

import dev.rlx.interpreter.experiment.TrlExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `rlx export FILE --to trl DIR`: evaluates the script (its SFT warm start included), maps the chosen experiment
 * onto TRL's GRPOTrainer ({@link TrlExport}) and writes the project ({@link TrlProject}). Anything that does not
 * map is an {@link RlxError} listing every such part with its location, and nothing is written.
 */
public final class RlxExports {
    private RlxExports() {}

    /** What was written: the experiment's name and the project folder. */
    public record Exported(String experiment, Path dir) {}

    public static Exported trl(RlxSession session, Path file, Map<String, String> overrides, String experiment, Path dir) {
        if (Files.exists(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new RlxError("error: " + dir + " exists and is not empty; export into a new folder", null);
                }
            } catch (IOException e) {
                throw new RlxError("error: " + dir + " exists and is not a folder", e);
            }
        }
        RlxSession.Script script = session.load(file, overrides);
        String name = RlxRuns.pick(script, experiment);
        TrlExport.Plan plan = TrlExport.plan(session, script, name);
        List<String> serve = new ArrayList<>(List.of(launcher(), "serve-rewards", file.toAbsolutePath().normalize().toString(),
                "--experiment", name));
        overrides.forEach((k, v) -> serve.addAll(List.of("--set", k + "=" + v)));
        String header = "# config.yaml of experiment '" + name + "' in " + file + ", written by `rlx export --to trl`"
                + (overrides.isEmpty() ? "" : " with " + String.join(" ", overrides.entrySet().stream()
                .map(e -> "--set " + e.getKey() + "=" + e.getValue()).toList())) + ".\n"
                + "# Every setting names the .rlx key it came from. `python train.py --set trl.KEY=VALUE` overrides one.\n"
                + "# The rewards stay the script's: train.py starts `rlx serve-rewards` (rlx.serve_rewards) for them.";
        TrlProject.write(plan, dir, header, serve);
        return new Exported(name, dir);
    }

    /** The rlx launcher this JVM was started by (the `./rlx` script sets rlx.home), else `rlx` on the PATH. */
    private static String launcher() {
        String home = System.getProperty("rlx.home");
        return home != null && Files.isRegularFile(Path.of(home, "rlx")) ? Path.of(home, "rlx").toString() : "rlx";
    }
}
