package dev.rlx.interpreter.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.api.SourceFormat;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** `rlx fmt`: canonical spacing, the author's line breaks and comments kept, idempotent, the same program. */
class FormatterTest {
    private static String fmt(String text) {
        return SourceFormat.format("t.rlx", text);
    }

    @Test
    void spacesTokensAsTheUnparserPrintsThem() {
        assertEquals("""
                x = f(1, b: 2) + -y * xs[1:] - xs[:-1][0] ** 2
                r = train {steps: 10, opt: {lr: 1e-3}}
                g = (a, b) => if not a then [a, b] else {a: a}
                h = let z = -1, k(q) = q in k(z) - 1
                """, fmt("""
                x   =  f( 1 ,b :2 )+ - y*xs [ 1 : ] -xs[ : - 1 ] [0]**2
                r = train{ steps : 10,opt:{ lr:1e-3 } }
                g = ( a,b )=>if not a then[ a,b ]else{a:a}
                h = let z=-1,k (q)=q in k( z )-1
                """));
    }

    @Test
    void keepsCommentsLineBreaksAndOneBlankLine() {
        String text = """
                // header comment
                import "std/credit" as credit   // aligned
                lr = 3e-5                        // trailing comments keep their column



                /// Doc comment of f.
                /// Second line.
                f(x,
                  y = 2) =   /* inline */ x+y
                cfg = train {
                  steps: 10,   // why ten
                  // a comment line inside
                  opt: {lr: lr},
                }
                """;
        assertEquals("""
                // header comment
                import "std/credit" as credit   // aligned
                lr = 3e-5                        // trailing comments keep their column

                /// Doc comment of f.
                /// Second line.
                f(x,
                  y = 2) = /* inline */ x + y
                cfg = train {
                  steps: 10,   // why ten
                  // a comment line inside
                  opt: {lr: lr},
                }
                """, fmt(text));
    }

    @Test
    void alignedContinuationLinesFollowTheirToken() {
        // `sft(` moves left by two columns; the line aligned under its first argument moves with it
        assertEquals("""
                warm = sft(policy, data: train,
                           steps: 10)
                """, fmt("""
                warm   =   sft(policy, data: train,
                               steps: 10)
                """));
    }

    @Test
    void declarationsStartInColumnOneAndContinuationsAreIndented() {
        assertEquals("""
                a = 1 +
                  2
                b = [
                  1,
                ]
                """, fmt("""
                  a = 1 +
                2
                   b = [
                  1,
                ]
                """));
    }

    @Test
    void wrapsLongLinesAfterACommaInsideTheOutermostBracketThatAllowsIt() {
        String args = String.join(", ", java.util.Collections.nCopies(12, "argument_name: 12345"));
        String out = fmt("x = f(" + args + ")\n");
        for (String line : out.lines().toList()) {
            assertTrue(line.length() <= Formatter.WIDTH, line);
        }
        assertTrue(out.lines().skip(1).allMatch(l -> l.startsWith("      argument_name")), out);
        assertEquals(out, fmt(out));
    }

    @Test
    void normalizesLineEndsTabsAndTheEndOfTheFile() {
        assertEquals("a = 1\nb = 2\n", fmt("\n\na = 1  \r\nb = 2\t\n\n\n"));
    }

    @Test
    void aFileThatDoesNotParseIsReportedNotFormatted() {
        RlxError e = assertThrows(RlxError.class, () -> fmt("x = (1 +\ny = 2\n"));
        assertTrue(e.formatted().startsWith("t.rlx:2:3: unexpected '='"), e.formatted());
    }

    /** Every example and stdlib file: already formatted, and formatting it changes neither tokens nor lock text. */
    @Test
    void examplesAndStdlibAreFormattedAndKeepTheirMeaning() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("../examples")), Files.walk(Path.of("../stdlib")))) {
            files = s.filter(p -> p.toString().endsWith(".rlx")).sorted().toList();
        }
        assertTrue(files.size() > 40, "found " + files.size());
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertEquals(text, SourceFormat.format(f.toString(), text), f + " is not formatted (rlx fmt " + f + ")");
        }
    }

    @Test
    void formattingIsIdempotentAndKeepsTheLockText() throws IOException {
        String messy = """
                import "std/credit" as credit
                g=3 // group
                adv( s )=to_list( credit.grpo(tensor(s),group:g) )
                n = - 2 ** 2 + ( -2 )**2   /* kept */
                f(x, y = x+1) = let z = y*2, h(k) = if k<1 then 0 else h(k-1)+1 in (a)=>a+z+h(3)
                s = {tag: "a\\"b", xs: [1.5, -0.25, 1e-7], re: r"^-?[0-9]+$"}
                """;
        String once = fmt(messy);
        assertEquals(once, fmt(once));
        Path dir = Files.createTempDirectory("fmt");
        try (RlxSession session = new RlxSession(new ByteArrayOutputStream())) {
            String before = session.lockText(session.load(new SourceText("m.rlx", messy, dir.resolve("m.rlx").toString()),
                    Map.of()));
            String after = session.lockText(session.load(new SourceText("m.rlx", once, dir.resolve("m.rlx").toString()),
                    Map.of()));
            assertEquals(before, after);
        }
    }

    /**
     * Spaces sprinkled between the tokens of every example and stdlib file are taken out again: the file comes back
     * exactly. (Lines with trailing comments, whose column is the author's, and lines others align under are left.)
     */
    @Test
    void extraSpacesBetweenTokensComeOutAgain() throws IOException {
        java.util.Random random = new java.util.Random(7);
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("../examples")), Files.walk(Path.of("../stdlib")))) {
            files = s.filter(p -> p.toString().endsWith(".rlx")).sorted().toList();
        }
        int mutated = 0;
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder();
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                // a line that later lines are aligned under stays: moving its tokens would misalign them for good
                boolean hasContinuation = i + 1 < lines.length && lines[i + 1].startsWith(" ");
                if (hasContinuation || line.contains("//") || line.contains("\"") || line.isBlank()
                        || line.startsWith(" ")) {
                    sb.append(line).append('\n');
                    continue;
                }
                // after a comma or an opening bracket there is a token boundary (no string on these lines)
                sb.append(line.replaceAll("([,(\\[{])(?=\\S)", random.nextBoolean() ? "$1  " : "$1 ")
                        .replace(" = ", random.nextBoolean() ? "  =  " : " = ")).append('\n');
                mutated++;
            }
            String mutant = sb.substring(0, sb.length() - 1);
            assertEquals(text, SourceFormat.format(f.toString(), mutant), f.toString());
        }
        assertTrue(mutated > 100, "lines mutated: " + mutated);
    }
}
