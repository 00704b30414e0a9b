package dev.rlx.interpreter.parser;

import dev.rlx.grammar.RlxLexer;
import dev.rlx.grammar.RlxParser;
import dev.rlx.interpreter.diag.Diagnostic;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's syntax errors into rlx diagnostics: `unexpected 'from'. Expecting: <expression>`.
 * Expected-token sets collapse into categories, and common mistakes get a hint (an unclosed bracket
 * says where it opened; `&&` suggests `and`; `=` in an expression suggests `==`).
 */
final class SyntaxErrorListener extends BaseErrorListener {
    private static final Set<Integer> EXPRESSION_START = Set.of(RlxLexer.INT, RlxLexer.FLOAT, RlxLexer.STRING,
            RlxLexer.RAW_STRING, RlxLexer.NAME, RlxLexer.LPAREN, RlxLexer.LBRACK, RlxLexer.LBRACE, RlxLexer.MINUS,
            RlxLexer.NOT, RlxLexer.IF, RlxLexer.LET, RlxLexer.TRUE, RlxLexer.FALSE, RlxLexer.NONE);
    private static final Set<Integer> BINARY_OPERATORS = Set.of(RlxLexer.PLUS, RlxLexer.MINUS, RlxLexer.STAR,
            RlxLexer.SLASH, RlxLexer.PERCENT, RlxLexer.POW, RlxLexer.EQ, RlxLexer.NE, RlxLexer.LT, RlxLexer.LE,
            RlxLexer.GT, RlxLexer.GE, RlxLexer.AND, RlxLexer.OR, RlxLexer.DOT, RlxLexer.LPAREN, RlxLexer.LBRACK);

    private final String sourceName;
    private final List<Diagnostic> diagnostics;
    private int lastErrorLine = -1;

    SyntaxErrorListener(String sourceName, List<Diagnostic> diagnostics) {
        this.sourceName = sourceName;
        this.diagnostics = diagnostics;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        // One error per line: ANTLR's recovery often reports a cascade after the first real mistake.
        if (line == lastErrorLine) {
            return;
        }
        lastErrorLine = line;
        if (!(recognizer instanceof Parser parser) || !(offendingSymbol instanceof Token token)) {
            diagnostics.add(new Diagnostic(sourceName, line, charPositionInLine + 1, 1, msg, null));
            return;
        }
        IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens()
                : parser.getExpectedTokens();
        String message;
        String hint = null;
        int width = Math.max(1, token.getStopIndex() - token.getStartIndex() + 1);
        switch (token.getType()) {
            case RlxLexer.UNTERMINATED_STRING -> {
                message = "unterminated string";
                hint = "close it with '\"' on the same line";
            }
            case RlxLexer.BAD_CHAR -> {
                message = "unexpected character '" + token.getText() + "'";
                hint = switch (token.getText()) {
                    case "&" -> "use 'and' for logical and";
                    case "|" -> "use 'or' for logical or";
                    case "!" -> "use 'not' for negation ('!=' compares)";
                    case "'" -> "strings use double quotes: \"...\"";
                    default -> null;
                };
            }
            default -> {
                String found = token.getType() == Token.EOF ? "end of input" : "'" + token.getText() + "'";
                message = "unexpected " + found + ". Expecting: " + describe(expected);
                if (token.getType() == RlxLexer.ASSIGN && expected.contains(RlxLexer.EQ)) {
                    hint = "use '==' to compare; '=' only binds a name";
                }
            }
        }
        String bracketHint = unclosedBracket(parser.getInputStream(), token);
        if (bracketHint != null && hint == null) {
            hint = bracketHint;
        }
        if (token.getType() == Token.EOF) {
            width = 1;
        }
        diagnostics.add(new Diagnostic(sourceName, line, charPositionInLine + 1, width, message, hint));
    }

    /** Expected tokens as readable categories: `<expression>`, `<name>`, `')'`, `','`. */
    static String describe(IntervalSet expected) {
        Set<String> parts = new LinkedHashSet<>();
        List<Integer> types = expected.toList();
        boolean expression = types.containsAll(List.of(RlxLexer.INT, RlxLexer.NAME, RlxLexer.LPAREN));
        if (expression) {
            parts.add("<expression>");
        }
        boolean operator = types.containsAll(List.of(RlxLexer.PLUS, RlxLexer.STAR));
        if (operator) {
            parts.add("<operator>");
        }
        for (int type : types) {
            if (expression && EXPRESSION_START.contains(type) || operator && BINARY_OPERATORS.contains(type)) {
                continue;
            }
            parts.add(switch (type) {
                case Token.EOF -> "end of input";
                case RlxLexer.NAME -> "<name>";
                case RlxLexer.STRING, RlxLexer.RAW_STRING -> "<string>";
                case RlxLexer.INT, RlxLexer.FLOAT -> "<number>";
                default -> RlxParser.VOCABULARY.getLiteralName(type) != null
                        ? RlxParser.VOCABULARY.getLiteralName(type) : RlxParser.VOCABULARY.getDisplayName(type);
            });
        }
        List<String> list = new ArrayList<>(parts);
        if (list.isEmpty()) {
            return "something else";
        }
        if (list.size() == 1) {
            return list.get(0);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    }

    /** Where the innermost bracket still open before {@code at} was opened, if one is. */
    private static String unclosedBracket(TokenStream tokens, Token at) {
        Deque<Token> open = new ArrayDeque<>();
        for (int i = 0; i < at.getTokenIndex() && i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) {
                continue;
            }
            switch (t.getType()) {
                case RlxLexer.LPAREN, RlxLexer.LBRACK, RlxLexer.LBRACE -> open.push(t);
                case RlxLexer.RPAREN, RlxLexer.RBRACK, RlxLexer.RBRACE -> {
                    if (!open.isEmpty()) {
                        open.pop();
                    }
                }
                default -> { }
            }
        }
        if (open.isEmpty()) {
            return null;
        }
        boolean atCloserOrEnd = at.getType() == Token.EOF || at.getType() == RlxLexer.RPAREN
                || at.getType() == RlxLexer.RBRACK || at.getType() == RlxLexer.RBRACE;
        if (!atCloserOrEnd && at.getLine() == open.peek().getLine()) {
            return null;
        }
        Token o = open.peek();
        return "the '" + o.getText() + "' opened at " + o.getLine() + ":" + (o.getCharPositionInLine() + 1)
                + " is not closed";
    }
}
