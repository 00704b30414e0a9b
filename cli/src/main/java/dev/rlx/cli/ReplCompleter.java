package dev.rlx.cli;

import dev.rlx.interpreter.api.RlxSession;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion: names in scope, builtins and the REPL's colon commands. */
final class ReplCompleter implements Completer {
    private final RlxSession session;

    ReplCompleter(RlxSession session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        for (String name : session.visibleNames()) {
            candidates.add(new Candidate(name));
        }
        if (line.wordIndex() == 0) {
            for (String c : ReplCommands.COMMANDS) {
                candidates.add(new Candidate(c));
            }
        }
    }
}
