package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** recipe.lock.rlx: self-contained, reproduces the values, and hashes by meaning rather than formatting. */
class LockFileTest {
    @TempDir Path dir;

    static final String SCRIPT = """
            import "std/credit" as credit
            import "lib/util" as u
            g = 3   // group size
            scores = [1, 0, 1, 0, 0, 1]
            adv = to_list(credit.grpo(tensor(scores), group: g))
            n = u.twice(u.base) + -2 ** 2 + (-2) ** 2
            f(x, y = x + 1) = let z = y * 2, h(k) = if k < 1 then 0 else h(k - 1) + 1 in (a) => a + z + h(3)
            v = f(1)(10)
            s = {tag: "a\\"b", xs: [1.5, -0.25, 1e-7]}
            """;

    private String lock(RlxSession session, String name, String text, Map<String, String> overrides)
            throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return session.lockText(session.load(new SourceText(name, text, file.toString()), overrides));
    }

    @Test
    void theLockIsSelfContainedAndGivesTheSameValues() throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/util.rlx"), "twice(x) = x * 2\nbase = 3\n");
        try (RlxSession session = new RlxSession(new ByteArrayOutputStream())) {
            String lock = lock(session, "main.rlx", SCRIPT, Map.of("g", "2"));
            assertTrue(!lock.contains("import "), lock);
            assertTrue(lock.contains("\ng = 2\n"), lock);
            // evaluate the lock from another folder: it needs nothing but itself
            Path elsewhere = Files.createDirectories(dir.resolve("runs/x"));
            Files.writeString(elsewhere.resolve("recipe.lock.rlx"), lock);
            RlxSession.Script locked = session.load(new SourceText("recipe.lock.rlx", lock,
                    elsewhere.resolve("recipe.lock.rlx").toString()), Map.of());
            RlxSession.Script original = session.load(new SourceText("main.rlx", SCRIPT,
                    dir.resolve("main.rlx").toString()), Map.of("g", "2"));
            for (String name : new String[] {"adv", "n", "v", "s"}) {
                assertEquals(RlxSession.display(session.value(original, name)),
                        RlxSession.display(session.value(locked, name)), name);
            }
            // by hand: twice(3) + -(2 ** 2) + (-2) ** 2 = 6 - 4 + 4; f(1): y = 2, z = 4, h(3) = 3, so 10 + 4 + 3
            assertEquals(6L, session.value(locked, "n"));
            assertEquals(17L, session.value(locked, "v"));
        }
    }

    @Test
    void theHashIgnoresFormattingAndCommentsButNotValues() throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/util.rlx"), "twice(x) = x * 2\nbase = 3\n");
        try (RlxSession session = new RlxSession(new ByteArrayOutputStream())) {
            String a = lock(session, "a.rlx", SCRIPT, Map.of());
            String reformatted = "// a comment\n" + SCRIPT.replace(" = ", "   =   ").replace(", ", ",\n   ")
                    .replace("// group size", "/* block */");
            String b = lock(session, "b.rlx", reformatted, Map.of());
            assertEquals(RlxSession.runHash(a), RlxSession.runHash(b));
            String c = lock(session, "c.rlx", SCRIPT.replace("g = 3", "g = 4"), Map.of());
            assertNotEquals(RlxSession.runHash(a), RlxSession.runHash(c));
            assertEquals(RlxSession.runHash(c), RlxSession.runHash(lock(session, "d.rlx", SCRIPT, Map.of("g", "4"))));
            String relocked = lock(session, "e.rlx", a, Map.of());
            assertNotEquals(a, relocked, "a lock locked again puts every block under one heading");
            assertEquals(RlxSession.runHash(a), RlxSession.runHash(relocked), "and keeps its run hash");
        }
    }
}
