package dev.rlx.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The language server reaches the interpreter only through its api package (EditorSession, SourceFormat): it
 * speaks LSP and knows nothing of the language itself. Everything else it imports is the JDK or LSP4J.
 */
class ApiOnlyImportsTest {
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");
    private static final List<String> ALLOWED = List.of("java.", "org.eclipse.lsp4j.", "dev.rlx.interpreter.api.",
            "dev.rlx.lsp.");

    @Test
    void mainSourcesUseOnlyTheInterpreterApiAndLsp4j() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "found " + files);
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            String source = Files.readString(f);
            Matcher m = IMPORT.matcher(source);
            while (m.find()) {
                if (ALLOWED.stream().noneMatch(m.group(1)::startsWith)) {
                    problems.add(f.getFileName() + ": imports " + m.group(1));
                }
            }
            if (source.matches("(?s).*\\bdev\\.rlx\\.interpreter\\.(?!api\\.).*")) {
                problems.add(f.getFileName() + ": names an interpreter internal");
            }
        }
        assertEquals(List.of(), problems);
    }
}
