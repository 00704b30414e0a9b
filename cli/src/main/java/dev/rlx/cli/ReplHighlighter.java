package dev.rlx.cli;

import dev.rlx.grammar.RlxLexer;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/** Colors the input line with rlx's own lexer: keywords, literals, strings and comments. */
final class ReplHighlighter implements Highlighter {
    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        RlxLexer lexer = new RlxLexer(CharStreams.fromString(buffer));
        lexer.removeErrorListeners();
        int pos = 0;
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if (t.getStartIndex() > pos) {
                sb.append(buffer.substring(pos, t.getStartIndex())); // skipped whitespace and comments
            }
            sb.style(style(t.getType()));
            sb.append(t.getText());
            sb.style(AttributedStyle.DEFAULT);
            pos = t.getStopIndex() + 1;
        }
        if (pos < buffer.length()) {
            sb.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT));
            sb.append(buffer.substring(pos));
        }
        return sb.toAttributedString();
    }

    @Override
    public void setErrorPattern(java.util.regex.Pattern errorPattern) {
        // rlx reports errors after evaluation, not while typing
    }

    @Override
    public void setErrorIndex(int errorIndex) {
        // as above
    }

    private static AttributedStyle style(int type) {
        return switch (type) {
            case RlxLexer.IMPORT, RlxLexer.AS, RlxLexer.REWARD, RlxLexer.EXPERIMENT, RlxLexer.IF, RlxLexer.THEN,
                    RlxLexer.ELSE, RlxLexer.LET, RlxLexer.IN, RlxLexer.AND, RlxLexer.OR, RlxLexer.NOT ->
                    AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
            case RlxLexer.INT, RlxLexer.FLOAT, RlxLexer.TRUE, RlxLexer.FALSE, RlxLexer.NONE ->
                    AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            case RlxLexer.STRING, RlxLexer.RAW_STRING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case RlxLexer.UNTERMINATED_STRING, RlxLexer.BAD_CHAR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            default -> AttributedStyle.DEFAULT;
        };
    }
}
