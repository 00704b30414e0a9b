package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The language's golden suite: every `golden/Name.rlx` is loaded and all its declarations are
 * evaluated in order; what it prints, followed by the error text if it fails, must equal
 * `golden/Name.output`. Set -Drlx.golden.update=true to write missing .output files for review.
 */
class GoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden");

    @TestFactory
    Stream<DynamicTest> golden() throws IOException {
        return Files.list(DIR).filter(p -> p.toString().endsWith(".rlx")).sorted()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path script) throws IOException {
        String name = script.getFileName().toString();
        Path expectedFile = DIR.resolve(name.replace(".rlx", ".output"));
        String actual = run(script);
        if (!Files.exists(expectedFile) && Boolean.getBoolean("rlx.golden.update")) {
            Files.writeString(expectedFile, actual);
        }
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        assertEquals(expected.stripTrailing(), actual.stripTrailing(), name);
    }

    static String run(Path script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = Files.readString(script, StandardCharsets.UTF_8);
        try (RlxSession session = new RlxSession(out)) {
            try {
                // the display name stays short so that outputs do not depend on where the suite runs
                RlxSession.Script s = session.load(new SourceText(script.getFileName().toString(), text,
                        script.toAbsolutePath().toString()), Map.of());
                session.evaluateAll(s);
            } catch (RlxError e) {
                out.write((e.formatted() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
