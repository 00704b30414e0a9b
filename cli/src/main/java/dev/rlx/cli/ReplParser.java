package dev.rlx.cli;

import dev.rlx.interpreter.api.Syntax;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/** Tells JLine that an input is unfinished (open bracket, dangling operator), so it asks for more. */
final class ReplParser extends DefaultParser {
    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && !line.strip().startsWith(":") && Syntax.isIncomplete(line)) {
            throw new EOFError(-1, -1, "incomplete input", "more");
        }
        return super.parse(line, cursor, context);
    }
}
