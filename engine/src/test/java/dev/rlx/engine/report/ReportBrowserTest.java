package dev.rlx.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser: headless Chromium (Debian's `chromium`, which .ci/run installs) loads the page from
 * disk, runs its script, and must log nothing to the console; every chart must hold a drawing with a non-empty box
 * (the page's script measures them with getBBox and marks each figure), the sample table must be filled, and the
 * screenshot must show something. Skipped only where no Chromium is installed.
 */
class ReportBrowserTest {
    /** Where the screenshot stays for a person to look at. */
    static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

    @Test
    void everyChartRendersInChromiumWithoutConsoleErrors(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "no chromium on PATH (.ci/run installs Debian's chromium package)");
        List<RunRecord> runs = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            runs.add(RunRecord.read(RunFixtures.run(dir, "add2", "0000000" + seed, seed, "lr = 5e-05", 60, false)));
        }
        runs.add(RunRecord.read(RunFixtures.run(dir, "add2", "00000009", 1, "lr = 3e-05", 60, 45, true)));
        Path page = dir.resolve("report.html");
        new ReportPage("browser test", runs).write(page);
        int figures = count(Files.readString(page), "<figure ");

        Browser dom = run(chromium, dir, "--dump-dom", page.toUri().toString());
        assertEquals("", consoleLines(dom.log()), "the page logged to the console");
        assertTrue(dom.out().contains("data-report-ready=\"1\""), "the page's script did not run to its end");
        Matcher drawn = Pattern.compile("<figure data-metric=\"([^\"]+)\" data-drawn=\"(\\d+)\"").matcher(dom.out());
        int seen = 0;
        while (drawn.find()) {
            seen++;
            assertTrue(Integer.parseInt(drawn.group(2)) >= 1, drawn.group(1) + ": nothing drawn");
        }
        assertEquals(figures, seen, "every chart was measured by the browser");
        assertTrue(figures >= 12, "charts: " + figures);
        assertTrue(count(dom.out(), "<tr><td>add2-0000000") >= 100, "the sample table is filled");

        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Browser shot = run(chromium, dir, "--screenshot=" + SCREENSHOT.toAbsolutePath(), "--window-size=1400,2200",
                page.toUri().toString());
        assertEquals("", consoleLines(shot.log()), "the page logged to the console");
        BufferedImage png = ImageIO.read(SCREENSHOT.toFile());
        assertEquals(1400, png.getWidth());
        int coloured = 0;
        for (int y = 0; y < png.getHeight(); y += 2) {
            for (int x = 0; x < png.getWidth(); x += 2) {
                int rgb = png.getRGB(x, y);
                int r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) coloured++; // line and band colours
            }
        }
        assertTrue(coloured > 2000, "the screenshot shows little colour: " + coloured + " sampled pixels");
    }

    /** The console check itself: a page that throws is caught. */
    @Test
    void aScriptErrorIsSeenOnTheConsole(@TempDir Path dir) throws Exception {
        String chromium = chromium();
        assumeTrue(chromium != null, "no chromium on PATH (.ci/run installs Debian's chromium package)");
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><script>notDefinedAnywhere();</script></body></html>");
        Browser dom = run(chromium, dir, "--dump-dom", page.toUri().toString());
        assertTrue(consoleLines(dom.log()).contains("notDefinedAnywhere is not defined"), dom.log());
    }

    private record Browser(String out, String log) {}

    private static Browser run(String chromium, Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr",
                "--v=0"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s");
        }
        return new Browser(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Chromium's log lines for console messages (the report's script writes none). */
    private static String consoleLines(String log) {
        StringBuilder b = new StringBuilder();
        for (String line : log.split("\n")) {
            if (line.contains(":CONSOLE")) b.append(line).append('\n');
        }
        return b.toString();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        return null;
    }
}
