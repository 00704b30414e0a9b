package dev.rlx.cli;

import static dev.rlx.cli.CliTest.rlx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `rlx fmt FILE... [--check]`. */
class FormatCommandTest {
    @Test
    void checkNamesTheFilesThatWouldChangeAndExitsWith1(@TempDir Path dir) throws IOException {
        Path messy = dir.resolve("messy.rlx");
        Path tidy = dir.resolve("tidy.rlx");
        Files.writeString(messy, "x=f( 1,2 )   // why\n");
        Files.writeString(tidy, "x = 1\n");
        CliTest.Result r = rlx("fmt", "--check", messy.toString(), tidy.toString());
        assertEquals(1, r.code());
        assertEquals(messy + ": would be reformatted (rlx fmt " + messy + ")\n", r.err());
        assertEquals("x=f( 1,2 )   // why\n", Files.readString(messy), "--check writes nothing");

        r = rlx("fmt", messy.toString(), tidy.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(messy + ": formatted\n", r.out());
        assertEquals("x = f(1, 2)  // why\n", Files.readString(messy), "the comment keeps its column");
        assertEquals(0, rlx("fmt", "--check", messy.toString()).code(), "formatting twice changes nothing");
    }

    @Test
    void aFileWithErrorsIsReportedAsCheckWouldAndLeftAlone(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.rlx");
        Files.writeString(bad, "seed = 7\nlr = (1e-4\nsteps = 10\n");
        CliTest.Result r = rlx("fmt", bad.toString());
        assertEquals(1, r.code());
        assertEquals(bad + ":3:1: unexpected 'steps'. Expecting: ')'\n"
                + "  steps = 10\n  ^^^^^\n  hint: the '(' opened at 2:6 is not closed\n", r.err());
        assertEquals("seed = 7\nlr = (1e-4\nsteps = 10\n", Files.readString(bad));
        assertEquals(2, rlx("fmt").code(), "fmt needs a FILE");
    }

    @Test
    void everyExampleAndStdlibFileIsFormatted() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("../examples")), Files.walk(Path.of("../stdlib")))) {
            files = s.filter(p -> p.toString().endsWith(".rlx")).sorted().toList();
        }
        assertTrue(files.size() > 40);
        String[] args = Stream.concat(Stream.of("fmt", "--check"), files.stream().map(Path::toString))
                .toArray(String[]::new);
        CliTest.Result r = rlx(args);
        assertEquals(0, r.code(), r.err());
    }

    /** `lsp` is wired by Main (Cli.with); a bare Cli says where it comes from. */
    @Test
    void lspWithoutTheServerIsAUsageError() {
        CliTest.Result r = rlx("lsp");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("rlx: lsp comes with the rlx-lsp module"), r.err());
    }
}
