package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden errors that only planning an experiment finds (values that are fine to the static checker but wrong for
 * the run: a key its rule ignores, a bound out of range, a row without the named field). Every
 * `golden-plan/Name.rlx` is loaded; each of its `experiment NAME` declarations is planned in order, and the error
 * texts, one after another, must equal `golden-plan/Name.output` (-Drlx.golden.update=true writes a missing one).
 */
class PlanErrorGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden-plan");
    private static final Pattern EXPERIMENT = Pattern.compile("(?m)^experiment (\\w+)");
    @TempDir Path runs;

    @TestFactory
    Stream<DynamicTest> golden() throws IOException {
        return Files.list(DIR).filter(p -> p.toString().endsWith(".rlx")).sorted()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private void check(Path script) throws IOException {
        String name = script.getFileName().toString();
        Path expectedFile = DIR.resolve(name.replace(".rlx", ".output"));
        String text = Files.readString(script, StandardCharsets.UTF_8);
        StringBuilder actual = new StringBuilder();
        try (RlxSession session = new RlxSession(OutputStream.nullOutputStream())) {
            RlxSession.Script s = session.load(new SourceText(name, text, script.toAbsolutePath().toString()), Map.of());
            Matcher m = EXPERIMENT.matcher(text);
            while (m.find()) {
                try {
                    ExperimentRunner.plan(session, s, m.group(1), runs.resolve(m.group(1)));
                    actual.append(m.group(1)).append(": planned without an error\n");
                } catch (RlxError e) {
                    actual.append(e.formatted()).append('\n');
                }
            }
        }
        if (!Files.exists(expectedFile) && Boolean.getBoolean("rlx.golden.update")) {
            Files.writeString(expectedFile, actual);
        }
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8).stripTrailing(), actual.toString().stripTrailing(), name);
    }
}
