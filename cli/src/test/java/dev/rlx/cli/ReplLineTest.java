package dev.rlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

/** The REPL's line editing hooks: colors from rlx's lexer, and continuation of unfinished input. */
class ReplLineTest {
    @Test
    void highlightingColorsKeywordsLiteralsStringsAndErrorsAndKeepsTheText() {
        String line = "if x then \"a\" else 1 // c";
        AttributedString s = new ReplHighlighter().highlight(null, line);
        assertEquals(line, s.toString());
        assertEquals(AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA), s.styleAt(line.indexOf("if")));
        assertEquals(AttributedStyle.DEFAULT, s.styleAt(line.indexOf("x")));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN), s.styleAt(line.indexOf("\"a\"")));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN), s.styleAt(line.indexOf("1")));
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT), s.styleAt(line.indexOf("// c")));
        AttributedString open = new ReplHighlighter().highlight(null, "x + \"ab");
        assertEquals(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED), open.styleAt(4));
    }

    @Test
    void unfinishedInputAsksForAnotherLineButCommandsNever() {
        ReplParser parser = new ReplParser();
        assertThrows(EOFError.class, () -> parser.parse("add(1,", 6, ParseContext.ACCEPT_LINE));
        assertEquals("add(1, 2)", parser.parse("add(1, 2)", 9, ParseContext.ACCEPT_LINE).line());
        assertEquals(":help (", parser.parse(":help (", 7, ParseContext.ACCEPT_LINE).line());
    }
}
