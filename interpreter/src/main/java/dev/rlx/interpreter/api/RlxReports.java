package dev.rlx.interpreter.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.report.ReportPage;
import dev.rlx.engine.report.RunRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * `rlx report`: reads run folders, or sweep folders (every run folder in them, in the sweep's order), and writes one
 * HTML page (see {@link ReportPage}). Reads only: a run still training is reported as far as it has got.
 */
public final class RlxReports {
    private RlxReports() {}

    /** The report's default place: report.html in the only folder given, else in the working directory. */
    public static Path defaultOutput(List<Path> folders) {
        return folders.size() == 1 ? folders.getFirst().resolve("report.html") : Path.of("report.html");
    }

    /** Writes the report of {@code folders} to {@code out}; returns the runs it shows. */
    public static List<String> write(List<Path> folders, Path out) {
        List<RunRecord> runs = new ArrayList<>();
        for (Path p : expand(folders)) runs.add(RunRecord.read(p));
        String title = folders.size() == 1 ? "rlx report: " + folders.getFirst().toAbsolutePath().normalize().getFileName()
                : "rlx report: " + runs.size() + " runs";
        try {
            new ReportPage(title, runs).write(out);
        } catch (java.io.UncheckedIOException e) {
            throw new RlxError("error: " + e.getMessage(), e);
        }
        return runs.stream().map(RunRecord::name).toList();
    }

    /** Run folders as given; a sweep folder (or any folder of run folders) stands for the run folders in it. */
    static List<Path> expand(List<Path> folders) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path f : folders) {
            if (!Files.isDirectory(f)) {
                throw new RlxError("error: no such folder: " + f, null);
            }
            if (RunRecord.isRunFolder(f)) {
                out.add(f);
                continue;
            }
            List<Path> inside = runsIn(f);
            if (inside.isEmpty()) {
                throw new RlxError("error: " + f + " is neither a run folder (no " + RunRecord.LOCK + ") nor a sweep "
                        + "folder (no run folders in it)\n  hint: rlx report takes folders that `rlx run` or `rlx sweep` "
                        + "wrote, e.g. runs/add2-1a2b3c4d", null);
            }
            out.addAll(inside);
        }
        return new ArrayList<>(out);
    }

    /** The run folders in a sweep folder: those of its current grid (sweep.json), else every run folder in it by name. */
    private static List<Path> runsIn(Path dir) {
        Set<Path> out = new LinkedHashSet<>();
        Path json = dir.resolve(RlxSweeps.JSON);
        if (Files.isRegularFile(json)) {
            try {
                JsonObject o = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8)).getAsJsonObject();
                for (JsonElement p : o.getAsJsonArray("points")) {
                    for (JsonElement r : p.getAsJsonObject().getAsJsonArray("runs")) {
                        Path run = dir.resolve(r.getAsJsonObject().get("folder").getAsString());
                        if (RunRecord.isRunFolder(run)) out.add(run);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // an unreadable sweep.json: fall back to the folders themselves
            }
            if (!out.isEmpty()) return new ArrayList<>(out); // runs of an earlier, different grid stay out
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(RunRecord::isRunFolder).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new RlxError("error: cannot list " + dir + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(out);
    }
}
