package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.FunctionHandle;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.runtime.RlxRecord;
import dev.rlx.interpreter.runtime.Sandbox;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The host API: calling script functions from Java, time limits, overrides, the REPL model, the sandbox. */
class SessionTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RlxSession session;

    @BeforeEach
    void open() {
        session = new RlxSession(out);
    }

    @AfterEach
    void close() {
        session.close();
    }

    private RlxSession.Script load(String text, Map<String, String> overrides) {
        return session.load(new SourceText("test.rlx", text, null), overrides);
    }

    @Test
    void callsARewardFromJavaWithASampleRecord() {
        RlxSession.Script s = load("""
                reward correct(s) = if to_int(s.completion) == s.answer then 1.0 else 0.0
                """, Map.of());
        FunctionHandle reward = session.handle(session.value(s, "correct"), 1, Duration.ofSeconds(5));
        RlxRecord right = RlxRecord.of(null, List.of("completion", "answer"), List.of("42", 42L));
        RlxRecord wrong = RlxRecord.of(null, List.of("completion", "answer"), List.of("41", 42L));
        assertEquals(1.0, reward.call(right));
        assertEquals(0.0, reward.call(wrong));
        assertEquals("correct", reward.name());
    }

    @Test
    void handleChecksArityUpFront() {
        RlxSession.Script s = load("f(a, b) = a + b", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> session.handle(session.value(s, "f"), 1, null));
        assertTrue(e.getMessage().contains("missing argument 'b'"), e.getMessage());
    }

    @Test
    void aCallPastItsTimeLimitIsCancelledWithTheFunctionsName() {
        // exponential but shallow: runs for minutes unless cancelled
        RlxSession.Script s = load("slow(n) = if n < 2 then n else slow(n - 1) + slow(n - 2)", Map.of());
        FunctionHandle slow = session.handle(session.value(s, "slow"), 1, Duration.ofMillis(200));
        long start = System.nanoTime();
        RlxError e = assertThrows(RlxError.class, () -> slow.call(60L));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.formatted().contains("'slow' exceeded its time limit"), e.formatted());
        assertTrue(e.formatted().startsWith("test.rlx:1:"), e.formatted());
        assertTrue(ms < 20_000, "cancellation took " + ms + " ms");
        // the session is still usable afterwards
        assertEquals(55L, session.handle(session.value(s, "slow"), 1, Duration.ofSeconds(10)).call(10L));
    }

    /** A top-level binding, an eval expression: both end at the session's time limit, named and located. */
    @Test
    void topLevelEvaluationStopsAtTheTimeLimit() {
        session.setTimeLimit(Duration.ofMillis(300));
        RlxSession.Script s = load("f(n) = if n == 0 then 0 else f(n - 1) + f(n - 1)\nx = f(60)", Map.of());
        RlxError e = assertThrows(RlxError.class, () -> session.evaluateAll(s));
        assertTrue(e.formatted().contains("'x' exceeded its time limit of 0.3 s"), e.formatted());
        assertTrue(e.formatted().contains("raise --time-limit") && e.formatted().startsWith("test.rlx:1:"), e.formatted());
        RlxError ev = assertThrows(RlxError.class, () -> session.eval("let g(n) = if n == 0 then 0 else g(n - 1) + g(n - 1) in g(60)"));
        assertTrue(ev.formatted().contains("'<eval>' exceeded its time limit"), ev.formatted());
        // the session stays usable after a cancelled evaluation
        assertEquals(2L, session.eval("1 + 1"));
    }

    /** cancel() from another thread (the REPL's Ctrl-C) stops the evaluation in progress. */
    @Test
    void cancelStopsTheEvaluationInProgress() throws InterruptedException {
        Thread ctrlC = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                return;
            }
            session.cancel();
        });
        ctrlC.start();
        RlxError e = assertThrows(RlxError.class,
                () -> session.eval("let g(n) = if n == 0 then 0 else g(n - 1) + g(n - 1) in g(60)"));
        ctrlC.join();
        assertTrue(e.formatted().contains("interrupted (Ctrl-C)"), e.formatted());
        session.cancel(); // nothing in progress: no effect on the next evaluation
        assertEquals(3L, session.eval("1 + 2"));
    }

    @Test
    void scriptErrorsFromAHandleCarryTheLocation() {
        RlxSession.Script s = load("f(x) = x.missing", Map.of());
        FunctionHandle f = session.handle(session.value(s, "f"), 1, null);
        RlxError e = assertThrows(RlxError.class, () -> f.call(RlxRecord.of(null, List.of("a"), List.of(1L))));
        assertTrue(e.formatted().startsWith("test.rlx:1:8: record has no field 'missing'"), e.formatted());
    }

    @Test
    void overridesReplaceLiteralsAndKeepTheirType() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("lr", "3");
        o.put("name", "countdown");
        RlxSession.Script s = load("lr = 1e-4\nname = \"add\"\nsteps = lr * 2", o);
        assertEquals(3.0, session.value(s, "lr"));
        assertEquals("countdown", session.value(s, "name"));
        assertEquals(6.0, session.value(s, "steps"));
        assertEquals("lr = 3.0  (was 0.0001 at test.rlx:1:1)", s.overrides().get(0).toString());
    }

    @Test
    void bareWordsOverrideStringBindingsEvenWhenTheyParseAsSomethingElse() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("scale", "none");          // a keyword literal elsewhere
        o.put("agg", "token-mean");      // an expression elsewhere
        o.put("n", "none");              // still none for a non-string binding
        RlxSession.Script s = load("scale = \"group\"\nagg = \"seq-mean\"\nn = none", o);
        assertEquals("none", session.value(s, "scale"));
        assertEquals("token-mean", session.value(s, "agg"));
        assertEquals(dev.rlx.interpreter.runtime.RlxNone.INSTANCE, session.value(s, "n"));
        RlxError notWord = assertThrows(RlxError.class, () -> load("agg = \"x\"", Map.of("agg", "a b")));
        assertTrue(notWord.formatted().contains("--set agg"), notWord.formatted()); // not a word: parsed, and rejected
    }

    @Test
    void overrideErrorsCiteTheBinding() {
        RlxError typeChange = assertThrows(RlxError.class, () -> load("group = 8", Map.of("group", "\"x\"")));
        assertTrue(typeChange.formatted().startsWith("test.rlx:1:9: --set group=\"x\" changes the type of 'group' "
                + "from int to string"), typeChange.formatted());
        RlxError unknown = assertThrows(RlxError.class, () -> load("group = 8", Map.of("gruop", "4")));
        assertTrue(unknown.formatted().contains("unknown binding 'gruop'"), unknown.formatted());
        assertTrue(unknown.formatted().contains("did you mean 'group'?"), unknown.formatted());
        RlxError notLiteral = assertThrows(RlxError.class, () -> load("a = 2\nb = a * 2", Map.of("b", "4")));
        assertTrue(notLiteral.formatted().contains("'b' is not a literal"), notLiteral.formatted());
    }

    @Test
    void replKeepsBindingsAcrossInputsAndSurvivesErrors() {
        session.repl("x = 20");
        session.repl("f(y) = x + y");
        assertThrows(RlxError.class, () -> session.repl("f(\"oops\")"));
        assertEquals(22L, session.repl("f(2)").value());
        session.repl("x = 100"); // later redefinition: f keeps the x it was defined with
        assertEquals(22L, session.repl("f(2)").value());
        assertEquals("int", session.typeOf("x"));
        session.resetScratch();
        assertThrows(RlxError.class, () -> session.repl("x"));
    }

    @Test
    void helpShowsSignatureAndDoc() {
        assertEquals("trim(s)\n  s without leading and trailing whitespace", session.help("trim"));
        session.repl("/// Adds one.\ninc(x) = x + 1");
        assertEquals("inc(x)\n  Adds one.", session.help("inc"));
    }

    @Test
    void sandboxKeepsFilesInsideTheScriptsFolder() {
        Path dir = Path.of("/tmp/scripts");
        assertEquals(Path.of("/tmp/scripts/data/train.jsonl"), Sandbox.resolve(dir, "data/train.jsonl"));
        assertThrows(IllegalArgumentException.class, () -> Sandbox.resolve(dir, "../secrets.txt"));
        assertThrows(IllegalArgumentException.class, () -> Sandbox.resolve(dir, "/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> Sandbox.resolve(null, "x.jsonl"));
    }

    @Test
    void stdlibIndexListsEveryStdlibFile() throws java.io.IOException {
        Path root = Path.of("../stdlib");
        List<String> files;
        try (var walk = java.nio.file.Files.walk(root.resolve("std"))) {
            files = walk.filter(p -> p.toString().endsWith(".rlx"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/').replaceAll("\\.rlx$", ""))
                    .sorted().toList();
        }
        assertEquals(files, dev.rlx.interpreter.resolve.StdlibIndex.modules().stream().sorted().toList(),
                "stdlib/std/MODULES must list every stdlib module");
    }

    @Test
    void evalPrintsJson() {
        assertEquals("7", RlxSession.json(session.eval("1 + 2 * 3")));
        assertEquals("{\"a\": [1, 2.5, \"x\\n\"], \"b\": null, \"c\": true}",
                RlxSession.json(session.eval("{a: [1, 2.5, \"x\\n\"], b: none, c: true}")));
    }
}
