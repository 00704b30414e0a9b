package dev.rlx.cli;

import dev.rlx.interpreter.api.Syntax;
import java.util.regex.Pattern;
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
        int pos = 0;
        for (Syntax.Lexeme t : Syntax.tokens(buffer)) {
            if (t.start() > pos) {
                sb.append(buffer.substring(pos, t.start())); // whitespace and comments
            }
            sb.style(style(t.kind()));
            sb.append(buffer.substring(t.start(), t.end()));
            sb.style(AttributedStyle.DEFAULT);
            pos = t.end();
        }
        if (pos < buffer.length()) {
            sb.style(AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT));
            sb.append(buffer.substring(pos));
        }
        return sb.toAttributedString();
    }

    @Override
    public void setErrorPattern(Pattern errorPattern) {
        // rlx reports errors after evaluation, not while typing
    }

    @Override
    public void setErrorIndex(int errorIndex) {
        // as above
    }

    private static AttributedStyle style(Syntax.Kind kind) {
        return switch (kind) {
            case KEYWORD -> AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
            case LITERAL -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
            case STRING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case ERROR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
            case PLAIN -> AttributedStyle.DEFAULT;
        };
    }
}
