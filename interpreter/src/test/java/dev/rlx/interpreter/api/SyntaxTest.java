package dev.rlx.interpreter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What an editor or REPL gets from the api: token kinds for coloring, and whether input is unfinished. */
class SyntaxTest {
    /** Each token as "KIND:text". */
    private static List<String> tokens(String text) {
        return Syntax.tokens(text).stream().map(t -> t.kind() + ":" + text.substring(t.start(), t.end())).toList();
    }

    @Test
    void tokensHaveKindsAndSkipWhitespaceAndComments() {
        assertEquals(List.of("KEYWORD:if", "PLAIN:x", "PLAIN:==", "LITERAL:1.5", "KEYWORD:then", "STRING:\"a\"",
                "KEYWORD:else", "LITERAL:none", "PLAIN:+", "ERROR:\"open"),
                tokens("if x == 1.5 then \"a\" // note\n else none + \"open"));
    }

    @Test
    void rangesCountJavaCharsEvenAfterCharactersOutsideTheBasicPlane() {
        String text = "\"😀\" + 1";
        assertEquals(List.of("STRING:\"😀\"", "PLAIN:+", "LITERAL:1"), tokens(text));
    }

    @Test
    void incompleteInputIsAnOpenBracketOrATrailingOperator() {
        assertTrue(Syntax.isIncomplete("f(1,"));
        assertTrue(Syntax.isIncomplete("x = 1 +"));
        assertFalse(Syntax.isIncomplete("f(1, 2)"));
        assertFalse(Syntax.isIncomplete("x = )"));
    }
}
