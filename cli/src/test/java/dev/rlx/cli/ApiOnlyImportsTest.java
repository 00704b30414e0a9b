package dev.rlx.cli;

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
 * The cli reaches the interpreter only through its api package: no engine, grammar, ANTLR or interpreter
 * internals, neither imported nor written out in full. Everything else it imports is the JDK, JLine or the
 * language server's entry point (`rlx lsp`).
 */
class ApiOnlyImportsTest {
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(dev\\.rlx\\.engine\\.|dev\\.rlx\\.grammar\\.|org\\.antlr\\.|dev\\.rlx\\.interpreter\\.(?!api\\.)\\w)");
    private static final List<String> ALLOWED = List.of("java.", "sun.misc.", "org.jline.", "dev.rlx.interpreter.api.",
            "dev.rlx.cli.", "dev.rlx.lsp.LspMain");

    @Test
    void mainSourcesUseOnlyTheInterpreterApi() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() > 5, "found " + files);
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            problems.addAll(problems(f.getFileName().toString(), Files.readString(f)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckCatchesImportsAndFullyQualifiedNames() {
        assertEquals(List.of("A.java: imports dev.rlx.engine.rl.RlPlan", "A.java: imports org.antlr.v4.runtime.Token",
                "A.java: imports com.google.gson.Gson", "A.java: names dev.rlx.interpreter.R"),
                problems("A.java", """
                        import dev.rlx.engine.rl.RlPlan;
                        import org.antlr.v4.runtime.Token;
                        import dev.rlx.interpreter.api.RlxSession;
                        import java.util.List;
                        import com.google.gson.Gson;
                        class A { String v = dev.rlx.interpreter.RlxLanguage.VERSION; }
                        """));
    }

    private static List<String> problems(String file, String source) {
        List<String> problems = new ArrayList<>();
        for (String line : source.lines().toList()) {
            Matcher imported = IMPORT.matcher(line);
            Matcher named = FORBIDDEN.matcher(line);
            if (imported.find()) {
                String name = imported.group(1);
                if (named.find() || ALLOWED.stream().noneMatch(name::startsWith)) {
                    problems.add(file + ": imports " + name);
                }
            } else if (named.find()) {
                problems.add(file + ": names " + named.group(1));
            }
        }
        return problems;
    }
}
