package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the front end (parse + resolve + check, what `rlx check` runs): any input gives
 * a located diagnostic or loads; an internal error (any other exception, a stack overflow) is a finding.
 *
 * <p>The suite runs it in Jazzer's fuzzing mode in a JVM of its own (interpreter/pom.xml, execution `fuzz`):
 * first every input of the committed corpus (src/test/resources/dev/rlx/interpreter/FrontEndFuzzTestInputs/
 * frontEnd: the examples, the golden scripts and what fuzzing found), then new inputs for 30 seconds. A
 * crashing input is written into that folder, where it stays a regression test once committed. Longer runs:
 * {@code bench/fuzz.sh SECONDS} (Jazzer's command-line driver on {@link #fuzzerTestOneInput}).
 */
public class FrontEndFuzzTest {
    /** Named beside the examples, so relative imports and data paths in an input resolve as theirs do. */
    private static final Path FILE = Path.of("../examples/fuzz-input.rlx").toAbsolutePath().normalize();
    // one session for every input, as `rlx check a.rlx b.rlx ...` and the REPL share one
    private static final RlxSession SESSION = new RlxSession(new ByteArrayOutputStream());

    @FuzzTest(maxDuration = "30s")
    void frontEnd(byte[] input) {
        fuzzerTestOneInput(input);
    }

    /** The entry point of Jazzer's command-line driver (bench/fuzz.sh). */
    public static void fuzzerTestOneInput(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            SESSION.load(new SourceText(FILE.getFileName().toString(), text, FILE.toString()), Map.of());
        } catch (RlxError e) {
            String shown = e.formatted();
            assertTrue(shown.startsWith("fuzz-input.rlx:") || shown.startsWith("error: ")
                    || shown.matches("(?s)^[\\w./<>-]+\\.rlx:\\d+:\\d+: .*"), () -> "an unlocated error:\n" + shown);
        }
    }
}
