package dev.rlx.cli;

import static dev.rlx.cli.CliTest.rlx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rlx sweep` and `rlx report` on an example at smoke size. */
class SweepTest {
    static final String[] SMOKE = {"--set", "steps=2", "--set", "sft_steps=5", "--set", "batch=4", "--set", "test_size=20"};

    @Test
    void aSweepRunsWhatRlxRunRunsSkipsFinishedRunsAndResumesAnInterruptedOne(@TempDir Path dir) throws IOException {
        Path sweep = dir.resolve("sweep");
        CliTest.Result r = rlx(args("sweep", "../examples/arith_rloo.rlx", "--set", "seed=1,2", "--runs", sweep.toString(),
                "--target", "0.5"));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("| settings | seeds | done | start: mean | final: mean (min-max) |"), r.out());
        assertTrue(r.out().contains("| (as in the script) | 1, 2 | 2/2 |"), r.out());
        for (String f : List.of("sweep.md", "sweep.json", "report.html")) assertTrue(Files.isRegularFile(sweep.resolve(f)), f);
        JsonObject json = JsonParser.parseString(Files.readString(sweep.resolve("sweep.json"))).getAsJsonObject();
        var runs = json.getAsJsonArray("points").get(0).getAsJsonObject().getAsJsonArray("runs");
        assertEquals(2, runs.size());
        assertEquals("2", runs.get(1).getAsJsonObject().get("seed").getAsString());
        assertTrue(runs.get(1).getAsJsonObject().get("complete").getAsBoolean());
        Path seed2 = sweep.resolve(runs.get(1).getAsJsonObject().get("folder").getAsString());

        // the same run by hand: the same folder name (run hash) and the same numbers
        CliTest.Result single = rlx(args("run", "../examples/arith_rloo.rlx", "--set", "seed=2", "--runs",
                dir.resolve("single").toString()));
        assertEquals(0, single.code(), single.err());
        Path byHand = dir.resolve("single").resolve(seed2.getFileName());
        assertTrue(Files.isDirectory(byHand), "rlx run made another run hash than the sweep: " + list(dir.resolve("single")));
        assertEquals(withoutTimes(seed2.resolve("metrics.jsonl")), withoutTimes(byHand.resolve("metrics.jsonl")));
        assertEquals(Files.readString(seed2.resolve("samples.jsonl")), Files.readString(byHand.resolve("samples.jsonl")));

        // again: nothing left to run
        CliTest.Result again = rlx(args("sweep", "../examples/arith_rloo.rlx", "--set", "seed=1,2", "--runs",
                sweep.toString(), "--target", "0.5"));
        assertEquals(0, again.code(), again.err());
        assertEquals(2, count(again.err(), "done already, skipped"), again.err());
        assertTrue(again.out().contains(": 0 run now, 2 done before"), again.out());

        // a run whose end was not recorded (killed after its last checkpoint) is resumed, not started over
        Path seed1 = sweep.resolve(runs.get(0).getAsJsonObject().get("folder").getAsString());
        List<String> before = withoutTimes(seed1.resolve("metrics.jsonl"));
        Files.delete(seed1.resolve("run.json"));
        CliTest.Result resumed = rlx(args("sweep", "../examples/arith_rloo.rlx", "--set", "seed=1,2", "--runs",
                sweep.toString(), "--target", "0.5"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("sweep run 1/2 (steps=2 sft_steps=5 batch=4 test_size=20 seed=1): resuming"),
                resumed.err());
        assertEquals(before, withoutTimes(seed1.resolve("metrics.jsonl")));
        assertTrue(Files.readString(seed1.resolve("run.json")).contains("\"complete\":true"));

        // and its report, from the sweep folder
        CliTest.Result report = rlx("report", sweep.toString(), "-o", dir.resolve("r.html").toString());
        assertEquals(0, report.code(), report.err());
        assertEquals("report of 2 runs: " + dir.resolve("r.html") + "\n", report.out());
        String html = Files.readString(dir.resolve("r.html"));
        assertTrue(html.contains("(seeds 1, 2)") && html.contains("data-metric=\"eval_accuracy\""), "seed group and charts");
    }

    @Test
    void badGridsAndFoldersAreClearErrors(@TempDir Path dir) throws IOException {
        CliTest.Result empty = rlx("sweep", "../examples/arith_rloo.rlx", "--set", "seed=1,,2");
        assertEquals(1, empty.code());
        assertTrue(empty.err().startsWith("error: --set seed=1,,2: an empty value in the list"), empty.err());
        CliTest.Result twice = rlx("sweep", "../examples/arith_rloo.rlx", "--set", "lr=1e-5,1e-5");
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("1e-5 is given twice"), twice.err());
        CliTest.Result unknown = rlx("sweep", "../examples/arith_rloo.rlx", "--set", "seed=1,2", "--set", "lrr=1,2",
                "--runs", dir.resolve("s").toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("lrr"), unknown.err());
        assertTrue(!Files.exists(dir.resolve("s")), "nothing runs before every grid point has loaded");
        CliTest.Result noSuch = rlx("sweep", "../examples/arith_schemes.rlx", "--experiment", "add2_rloo,add2_nope",
                "--set", "seed=1,2", "--runs", dir.resolve("s").toString());
        assertEquals(1, noSuch.code());
        assertTrue(noSuch.err().contains("has no experiment 'add2_nope'"), noSuch.err());
        assertTrue(!Files.exists(dir.resolve("s")), "every experiment is checked before anything runs");
        assertEquals(2, rlx("sweep", "../examples/arith_schemes.rlx", "--experiment", "add2_rloo,,add2_rpp").code());
        assertEquals(2, rlx("sweep", "../examples/arith_rloo.rlx", "--set", "seed=1,2", "--target", "1.5").code());
        assertEquals(2, rlx("sweep").code());
        Path noExperiment = dir.resolve("plain.rlx");
        Files.writeString(noExperiment, "seed = 1\n");
        CliTest.Result plain = rlx("sweep", noExperiment.toString(), "--set", "seed=1,2");
        assertEquals(1, plain.code());
        assertTrue(plain.err().contains("declares no experiment"), plain.err());

        Path notARun = Files.createDirectories(dir.resolve("empty"));
        CliTest.Result report = rlx("report", notARun.toString());
        assertEquals(1, report.code());
        assertTrue(report.err().startsWith("error: " + notARun + " is neither a run folder (no recipe.lock.rlx) nor a sweep "
                + "folder"), report.err());
        assertEquals(1, rlx("report", dir.resolve("missing").toString()).code());
        assertEquals(2, rlx("report").code());
    }

    static String[] args(String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(List.of(SMOKE));
        return a.toArray(String[]::new);
    }

    /** metrics.jsonl lines without their wall-clock fields. */
    static List<String> withoutTimes(Path metrics) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            o.keySet().removeIf(k -> k.startsWith("time_ms"));
            out.add(o.toString());
        }
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
