package dev.rlx.interpreter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * EditorSession on real files and on files being typed: every question at random positions of every example and
 * stdlib file, whole and cut short, gets an answer (possibly empty), never an exception. (The language server's
 * own behaviour is tested through LSP in the lsp module.)
 */
class EditorSessionTest {
    @Test
    void anyPositionOfAnyFileWholeOrCutShortGetsAnAnswer() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("../examples")), Files.walk(Path.of("../stdlib")))) {
            files = s.filter(p -> p.toString().endsWith(".rlx")).sorted().toList();
        }
        EditorSession editor = new EditorSession();
        Random random = new Random(11);
        int answered = 0;
        for (Path f : files) {
            String whole = Files.readString(f, StandardCharsets.UTF_8);
            for (int k = 0; k < 12; k++) {
                // half the time the text as someone typing it has it: cut at a random point
                String text = k % 2 == 0 ? whole : whole.substring(0, random.nextInt(whole.length()));
                List<String> lines = text.lines().toList();
                if (lines.isEmpty()) {
                    continue;
                }
                int line = random.nextInt(lines.size());
                int character = random.nextInt(lines.get(line).length() + 1);
                editor.hover(f, text, line, character);
                editor.complete(f, text, line, character);
                editor.definition(f, text, line, character);
                answered++;
            }
            assertTrue(editor.symbols(whole).size() >= 1, f.toString());
        }
        assertTrue(answered > 400, "positions asked: " + answered);
    }

    @Test
    void checkReportsWhatRlxCheckReports() {
        EditorSession editor = new EditorSession();
        List<EditorSession.Problem> problems = editor.check(null, "a = 1\nb = a + c\nd = (1\n");
        assertEquals(1, problems.size(), "a syntax error stops before names are resolved: " + problems);
        assertEquals("unexpected end of input. Expecting: ')'", problems.get(0).message());
        assertEquals(List.of(), editor.check(null, "a = 1\nb = a + 1\n"));
        problems = editor.check(null, "a = 1\nb = a + c\n");
        assertEquals(new EditorSession.Range(1, 8, 1, 9), problems.get(0).range());
        assertEquals("unknown name 'c'", problems.get(0).message());
    }
}
