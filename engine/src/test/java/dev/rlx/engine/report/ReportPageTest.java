package dev.rlx.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report page and what it reads, on hand-written run folders. */
class ReportPageTest {
    @Test
    void aRunStillWritingItsLastLineIsReadUpToIt(@TempDir Path dir) throws IOException {
        RunRecord r = RunRecord.read(RunFixtures.run(dir, "add2", "0000000a", 7, "lr = 5e-05", 30, true));
        assertEquals(30, r.stepsDone(), "the cut line of step 31 is skipped");
        assertEquals(30, r.metrics().size());
        assertEquals("add2", r.experiment());
        assertEquals("0000000a", r.hash());
        assertFalse(r.complete());
        // eval at 10, 20, 30, with the accuracy before training (run.json) as step 0
        assertEquals(List.of(0.0, 10.0, 20.0, 30.0), java.util.Arrays.stream(r.evalAccuracy().steps()).boxed().toList());
        assertEquals(0.3, r.startAccuracy(), 1e-12);
        assertEquals(0.3 + 0.4 + 0.02 * Math.sin(30 * 1.7 + 7), r.finalAccuracy(), 1e-3);
        assertEquals(0, r.stepToReach(0.3), "the start already reached it");
        assertEquals(-1, r.stepToReach(0.99));
        assertEquals(30 * 0.207, r.wallSeconds(), 1e-9);
    }

    @Test
    void notARunFolderIsAClearError(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunRecord.read(dir));
        assertTrue(e.getMessage().endsWith("is not a run folder (no recipe.lock.rlx)"), e.getMessage());
    }

    @Test
    void runsThatDifferOnlyInSeedAreOneGroup(@TempDir Path dir) throws IOException {
        List<RunRecord> runs = List.of(
                RunRecord.read(RunFixtures.run(dir, "add2", "00000001", 1, "lr = 5e-05", 20, false)),
                RunRecord.read(RunFixtures.run(dir, "add2", "00000002", 2, "lr = 5e-05", 20, false)),
                RunRecord.read(RunFixtures.run(dir, "add2", "00000003", 1, "lr = 3e-05", 20, false)));
        List<RunGroup> groups = RunGroup.bySeed(runs);
        assertEquals(2, groups.size());
        assertEquals(2, groups.get(0).runs().size());
        assertEquals("add2 (seeds 1, 2)", groups.get(0).label());
        assertEquals("add2 seed=1", groups.get(1).label());
        // the group's curve is the mean over its seeds, with their min and max as the band
        SvgChart.Line l = GroupCurves.line(groups.get(0), "grad_norm", "#000");
        double a = 0.8 + 0.02 * Math.sin(5 * 1.7 + 1);
        double b = 0.8 + 0.02 * Math.sin(5 * 1.7 + 2);
        assertEquals(5.0, l.x()[4]);
        assertEquals((a + b) / 2, l.y()[4], 2e-3);
        assertEquals(Math.min(a, b), l.lo()[4], 1e-3);
        assertEquals(Math.max(a, b), l.hi()[4], 1e-3);

        // overrides every run has are said once, not in every label
        Files.writeString(dir.resolve("add2-00000001/overrides.txt"), "steps=20\nseed=1\n");
        Files.writeString(dir.resolve("add2-00000002/overrides.txt"), "steps=20\nseed=2\n");
        Files.writeString(dir.resolve("add2-00000003/overrides.txt"), "steps=20\nlr=3e-05\nseed=1\n");
        List<RunRecord> again = runs.stream().map(r -> RunRecord.read(r.dir())).toList();
        assertEquals(java.util.Map.of("steps", "20"), RunGroup.shared(again));
        assertEquals(List.of("add2 (seeds 1, 2)", "add2 lr=3e-05 seed=1"),
                RunGroup.bySeed(again).stream().map(RunGroup::label).toList());
    }

    @Test
    void everyMetricGetsAChartWithADrawnLineAndThePageIsSelfContained(@TempDir Path dir) throws IOException {
        List<RunRecord> runs = List.of(
                RunRecord.read(RunFixtures.run(dir, "add2", "00000001", 1, "lr = 5e-05", 40, false)),
                RunRecord.read(RunFixtures.run(dir, "add2", "00000002", 2, "lr = 5e-05", 40, false)),
                RunRecord.read(RunFixtures.run(dir, "add2", "00000003", 3, "lr = 5e-05", 40, 35, true)));
        String html = new ReportPage("test report", runs).html();
        for (String key : List.of("eval_accuracy", "reward", "reward/correct", "reward/tidy", "kl", "entropy", "clip_frac",
                "grad_norm", "lr", "length_mean", "truncation_rate", "time_ms_total", "time_ms_rollout", "time_ms_update")) {
            Matcher fig = Pattern.compile("<figure data-metric=\"" + Pattern.quote(key) + "\">(.*?)</figure>").matcher(html);
            assertTrue(fig.find(), "no chart for " + key);
            assertTrue(fig.group(1).matches(".*<path class=\"line\" stroke=\"#[0-9a-f]{6}\" d=\"M[0-9.]+,[0-9.]+(L[0-9.]+,[0-9.]+)+\".*"),
                    key + ": no drawn line in " + fig.group(1));
            assertTrue(fig.group(1).contains("<path class=\"band\""), key + ": three seeds of one recipe get a band");
        }
        assertTrue(html.contains("add2 (seeds 1, 2, 3)"), "one group, labelled with its seeds");
        assertTrue(html.contains("<td>complete</td>") && html.contains("running or stopped"), "status per run");
        assertTrue(html.contains("hash <code>00000003</code>") && html.contains("--set seed=3"), "lock, hash and overrides");
        assertTrue(html.contains("\"runs\":[\"add2-00000001\",\"add2-00000002\",\"add2-00000003\"]"), "sample data for the table");
        assertTrue(html.contains("[0,1,\"1+1=\",\"2\",1.0,{\"correct\":1.0,\"tidy\":0.0}]"), "a sample row");
        // nothing is fetched: no external script, style, font or image
        assertFalse(Pattern.compile("(src|href)\\s*=|@import|url\\(|https?://").matcher(html).find(), "an external reference");
    }

    @Test
    void markupInSamplesAndLocksIsEscaped(@TempDir Path dir) throws IOException {
        Path run = RunFixtures.run(dir, "add2", "00000001", 1, "note = \"</script><b>\"", 10, false);
        Files.writeString(run.resolve("samples.jsonl"), "{\"step\":1,\"prompt\":\"</script><img>\",\"completion\":\"<&>\"}\n");
        String html = new ReportPage("<t>", List.of(RunRecord.read(run))).html();
        assertFalse(html.contains("</script><img>") || html.contains("<b>") || html.contains("<t>"));
        assertTrue(html.contains("note = &quot;&lt;/script&gt;&lt;b&gt;&quot;"));
        assertTrue(html.contains("\\u003c/script\\u003e\\u003cimg\\u003e"));
    }

    /** Each recipe line says the run's numerics; runs computed with different ones are listed under the summary. */
    @Test
    void runsWithDifferentNumericsAreNamed(@TempDir Path dir) throws IOException {
        List<Path> folders = List.of(RunFixtures.run(dir, "add2", "00000001", 1, "lr = 5e-05", 10, false),
                RunFixtures.run(dir, "add2", "00000002", 2, "lr = 5e-05", 10, false),
                RunFixtures.run(dir, "add2", "00000003", 3, "lr = 5e-05", 10, false));
        String same = "{\"libtorch\":\"2.7.1\",\"intra_op_threads\":2,\"inter_op_threads\":1,\"cpu\":\"AMD EPYC\",\"os\":\"Linux amd64\"}";
        for (Path f : folders.subList(0, 2)) withNumerics(f, same);
        String html = page(folders);
        assertTrue(html.contains("--set seed=1</code> &middot; libtorch 2.7.1, 2 intra-op threads, 1 inter-op, AMD EPYC, Linux amd64"
                + "</summary>"), "the recipe line says the numerics");
        assertFalse(html.contains("different numerics"), "one set of numerics, and a run without: nothing to say");

        withNumerics(folders.get(2), same.replace("\"intra_op_threads\":2", "\"intra_op_threads\":1"));
        html = page(folders);
        assertTrue(html.contains("<li>libtorch 2.7.1, 2 intra-op threads, 1 inter-op, AMD EPYC, Linux amd64: add2-00000001, "
                + "add2-00000002</li><li>libtorch 2.7.1, 1 intra-op thread, 1 inter-op, AMD EPYC, Linux amd64: add2-00000003</li>"),
                html.substring(html.indexOf("<h2>Summary</h2>")));
    }

    private static void withNumerics(Path run, String numerics) throws IOException {
        String json = Files.readString(run.resolve("run.json")).strip();
        Files.writeString(run.resolve("run.json"), json.substring(0, json.length() - 1) + ",\"numerics\":" + numerics + "}\n");
    }

    private static String page(List<Path> folders) {
        return new ReportPage("numerics", folders.stream().map(RunRecord::read).toList()).html();
    }
}
