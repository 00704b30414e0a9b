package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every builtin that touches a file, and every import, stays inside the script's folder with symbolic links
 * followed: a link inside the folder that points inside it works, one that points outside is refused with
 * a located error, and nothing is read or written out there. (Before the real-path check, each refusal
 * below was a successful read or write outside the folder.)
 */
class SandboxTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RlxSession session;
    @TempDir Path root;
    private Path scripts;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        session = new RlxSession(out);
        scripts = Files.createDirectories(root.resolve("scripts"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.createDirectories(scripts.resolve("real"));
        Files.createSymbolicLink(scripts.resolve("in_link"), scripts.resolve("real"));
        Files.createSymbolicLink(scripts.resolve("out_link"), Path.of("../outside"));
        Files.createSymbolicLink(scripts.resolve("dangling"), Path.of("../outside/not_yet"));
        String data = "{\"q\": \"1+1=\", \"a\": 2}\n";
        Files.writeString(outside.resolve("data.jsonl"), data);
        Files.writeString(scripts.resolve("real/data.jsonl"), data);
    }

    @AfterEach
    void close() {
        session.close();
    }

    private Object value(String text, String name) throws IOException {
        Path file = scripts.resolve("test.rlx");
        Files.writeString(file, text);
        return session.value(session.load(new SourceText("test.rlx", text, file.toString()), Map.of()), name);
    }

    private String refusal(String text, String name) {
        Exception e = assertThrows(Exception.class, () -> value(text, name));
        return e.getMessage();
    }

    private static void refusedThroughLink(String message, String at) {
        assertTrue(message.startsWith("test.rlx:" + at), message);
        assertTrue(message.contains("leads through a symbolic link") && message.contains("outside the script's folder"),
                message);
    }

    private static final String IMPORTS = "import \"std/tasks\" as tasks\n";
    private static final String MODEL = "m = gpt(tokenizer: char_tokenizer(\"0123456789+=\"), layers: 1, dim: 16, heads: 2, context: 8)\n";

    @Test
    void dataReadsFollowLinksAndStayInside() throws IOException {
        assertEquals(1L, value(IMPORTS + "d = len(rows(tasks.jsonl(\"in_link/data.jsonl\", prompt: \"q\", answer: \"a\")))", "d"));
        refusedThroughLink(refusal(IMPORTS + "d = tasks.jsonl(\"out_link/data.jsonl\", prompt: \"q\", answer: \"a\")", "d"),
                "2:");
    }

    @Test
    void modelWritesFollowLinksAndStayInside() throws IOException {
        assertEquals("in_link/m", value(MODEL + "p = save_model(m, \"in_link/m\")", "p"));
        assertTrue(Files.isRegularFile(scripts.resolve("real/m/config.json")));
        refusedThroughLink(refusal(MODEL + "p = save_model(m, \"out_link/m\")", "p"), "2:");
        assertFalse(Files.exists(outside.resolve("m")), "nothing written outside");
    }

    /** A link to a place that does not exist yet would create it outside on the first write. */
    @Test
    void aDanglingLinkIsRefused() {
        String e = refusal(MODEL + "p = save_model(m, \"dangling\")", "p");
        assertTrue(e.startsWith("test.rlx:2:") && e.contains("symbolic link"), e);
        assertFalse(Files.exists(outside.resolve("not_yet")), "nothing created outside");
    }

    @Test
    void modelAndTokenizerReadsFollowLinksAndStayInside() throws IOException {
        value(MODEL + "p = save_model(m, \"in_link/m\")", "p");
        Files.move(scripts.resolve("real/m"), outside.resolve("m"));
        refusedThroughLink(refusal("x = load_model(\"out_link/m\")", "x"), "1:");
        refusedThroughLink(refusal("x = load_tokenizer(\"out_link/m/tokenizer.json\")", "x"), "1:");
        Files.move(outside.resolve("m"), scripts.resolve("real/m"));
        assertTrue(RlxSession.display(value("x = load_model(\"in_link/m\")", "x")).startsWith("<model gpt2"));
    }

    @Test
    void importsStayInsideTheImportingScriptsFolder() throws IOException {
        Files.writeString(outside.resolve("evil.rlx"), "x = 666\n");
        Files.writeString(scripts.resolve("real/good.rlx"), "x = 7\n");
        assertEquals(7L, value("import \"in_link/good\" as g\ny = g.x", "y"));
        refusedThroughLink(refusal("import \"out_link/evil\" as e\ny = e.x", "y"), "1:8:");
        String dotdot = refusal("import \"../outside/evil\" as e\ny = e.x", "y");
        assertTrue(dotdot.startsWith("test.rlx:1:8:") && dotdot.contains("outside the script's folder"), dotdot);
        String absolute = refusal("import \"" + outside.resolve("evil") + "\" as e\ny = e.x", "y");
        assertTrue(absolute.startsWith("test.rlx:1:8:") && absolute.contains("absolute paths are not allowed"), absolute);
    }
}
