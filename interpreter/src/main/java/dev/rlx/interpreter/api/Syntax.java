package dev.rlx.interpreter.api;

import dev.rlx.grammar.RlxLexer;
import dev.rlx.interpreter.parser.RlxParsing;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;

/** rlx's own lexer and parser for an editor or REPL: token kinds for coloring, and unfinished input. */
public final class Syntax {
    /** What a token is, as far as coloring goes. */
    public enum Kind { KEYWORD, LITERAL, STRING, ERROR, PLAIN }

    /** One token: {@code text.substring(start, end)}. What lies between tokens is whitespace and comments. */
    public record Lexeme(Kind kind, int start, int end) {}

    private Syntax() {}

    /** The tokens of {@code text} in order; never fails, whatever the text. */
    public static List<Lexeme> tokens(String text) {
        RlxLexer lexer = new RlxLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Lexeme> tokens = new ArrayList<>();
        // the lexer counts code points, Java strings UTF-16 units: walk both forward together
        int codePoint = 0;
        int index = 0;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            int start = text.offsetByCodePoints(index, t.getStartIndex() - codePoint);
            int end = text.offsetByCodePoints(start, t.getStopIndex() + 1 - t.getStartIndex());
            tokens.add(new Lexeme(kind(t.getType()), start, end));
            codePoint = t.getStopIndex() + 1;
            index = end;
        }
        return tokens;
    }

    /**
     * True when {@code input} could become valid by adding more (an open bracket, a trailing operator or comma):
     * a REPL then asks for a continuation line instead of reporting the error.
     */
    public static boolean isIncomplete(String input) {
        return RlxParsing.isIncomplete(input);
    }

    private static Kind kind(int type) {
        return switch (type) {
            case RlxLexer.IMPORT, RlxLexer.AS, RlxLexer.REWARD, RlxLexer.EXPERIMENT, RlxLexer.IF, RlxLexer.THEN,
                    RlxLexer.ELSE, RlxLexer.LET, RlxLexer.IN, RlxLexer.AND, RlxLexer.OR, RlxLexer.NOT -> Kind.KEYWORD;
            case RlxLexer.INT, RlxLexer.FLOAT, RlxLexer.TRUE, RlxLexer.FALSE, RlxLexer.NONE -> Kind.LITERAL;
            case RlxLexer.STRING, RlxLexer.RAW_STRING -> Kind.STRING;
            case RlxLexer.UNTERMINATED_STRING, RlxLexer.BAD_CHAR -> Kind.ERROR;
            default -> Kind.PLAIN;
        };
    }
}
