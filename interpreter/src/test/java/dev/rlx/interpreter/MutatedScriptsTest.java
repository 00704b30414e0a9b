package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * `rlx check` (load: parse, resolve, check) on hundreds of randomly mutated example and golden scripts in one
 * session: every mutant is either fine or a located diagnostic, never an internal error. Seeded, so a failure
 * reproduces; the failing mutant is printed whole.
 */
class MutatedScriptsTest {
    /** More on demand: -Drlx.mutants=20000 -Drlx.mutants.seed=7 (see README). */
    private static final int MUTANTS = Integer.getInteger("rlx.mutants", 600);
    private static final String[] PIECES = {"(", ")", "{", "}", "[", "]", ",", ":", "=", "==", "+", "-", "*", "/",
        "**", ".", "\"", "\n", " ", "=>", "let ", " in ", "if ", " then ", " else ", "import ", "experiment ",
        "reward ", "train {", "0", "1.5e3", "-7", "none", "true", "x", "r\"", "//", "///", "\\u{", "@", "#"};

    @Test
    void mutatedScriptsGiveDiagnosticsNotInternalErrors() throws IOException {
        List<Path> seeds = new ArrayList<>();
        for (Path folder : List.of(Path.of("../examples"), Path.of("src/test/resources/golden"))) {
            try (Stream<Path> s = Files.list(folder)) {
                s.filter(p -> p.toString().endsWith(".rlx")).sorted().forEach(seeds::add);
            }
        }
        Random random = new Random(Long.getLong("rlx.mutants.seed", 42L));
        int diagnosed = 0;
        try (RlxSession session = new RlxSession(new ByteArrayOutputStream())) {
            for (int i = 0; i < MUTANTS; i++) {
                Path seed = seeds.get(random.nextInt(seeds.size()));
                String text = mutate(Files.readString(seed), random);
                // named as a file beside its seed, so relative imports and paths resolve as the seed's do
                Path file = seed.resolveSibling("mutant-" + i + ".rlx");
                try {
                    session.load(new SourceText(file.getFileName().toString(), text, file.toAbsolutePath().toString()),
                            Map.of());
                } catch (RlxError e) {
                    diagnosed++;
                    String shown = e.formatted();
                    assertTrue(shown.startsWith(file.getFileName() + ":") || shown.startsWith("error: ")
                            || shown.matches("(?s)^[\\w./<>-]+\\.rlx:\\d+:\\d+: .*"), "an unlocated error for mutant "
                            + i + " of " + seed + ":\n" + shown + "\n--- mutant ---\n" + text);
                } catch (RuntimeException | StackOverflowError e) {
                    fail("internal error for mutant " + i + " of " + seed + ": " + e + "\n--- mutant ---\n" + text, e);
                }
            }
        }
        assertTrue(diagnosed > MUTANTS / 4, "the mutations should break most scripts, broke " + diagnosed);
    }

    /** One to three edits: delete a span, duplicate a span, insert a syntax piece, or swap two characters. */
    private static String mutate(String text, Random r) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits && s.length() > 2; e++) {
            int at = r.nextInt(s.length());
            int len = Math.min(1 + r.nextInt(8), s.length() - at);
            switch (r.nextInt(4)) {
                case 0 -> s.delete(at, at + len);
                case 1 -> s.insert(at, s.substring(at, at + len));
                case 2 -> s.insert(at, PIECES[r.nextInt(PIECES.length)]);
                default -> {
                    int other = r.nextInt(s.length());
                    char c = s.charAt(at);
                    s.setCharAt(at, s.charAt(other));
                    s.setCharAt(other, c);
                }
            }
        }
        return s.toString();
    }
}
