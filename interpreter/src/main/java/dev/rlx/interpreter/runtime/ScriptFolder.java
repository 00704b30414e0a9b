package dev.rlx.interpreter.runtime;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.Truffle;
import com.oracle.truffle.api.nodes.Node;
import com.oracle.truffle.api.source.Source;
import com.oracle.truffle.api.source.SourceSection;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The folder that file paths in a builtin call are relative to: the folder of the .rlx file whose code made
 * the call (lexically: a function defined in `lib/a.rlx` reads relative to `lib/`, whoever calls it).
 * REPL inputs read relative to the current directory, as their imports do; `rlx eval` and the stdlib have
 * no folder, so {@link Sandbox#resolve} refuses their file access.
 */
public final class ScriptFolder {
    private ScriptFolder() {}

    /** Name prefix of REPL input sources (see RlxSession.repl). */
    private static final String REPL_SOURCE = "<repl:";

    /** The calling script's folder, or null when the call comes from code that has none. */
    @TruffleBoundary
    public static Path ofCaller() {
        // the innermost frame with a source decides: builtins between (map, fold) have none and are skipped
        Optional<Path> found = Truffle.getRuntime().iterateFrames(frame -> {
            Node call = frame.getCallNode();
            SourceSection s = call == null ? null : call.getEncapsulatingSourceSection();
            return s == null ? null : Optional.ofNullable(folderOf(s.getSource()));
        });
        return found == null ? null : found.orElse(null);
    }

    /** Resolves {@code path} inside the calling script's folder (see {@link Sandbox#resolve}). */
    @TruffleBoundary
    public static Path resolve(String path) {
        return Sandbox.resolve(ofCaller(), path);
    }

    static Path folderOf(Source source) {
        URI uri = source.getURI();
        if (uri != null && "file".equals(uri.getScheme())) {
            Path parent = Path.of(uri).getParent();
            return parent != null ? parent : Path.of(uri).getRoot();
        }
        if (source.getName().startsWith(REPL_SOURCE)) {
            return Path.of("").toAbsolutePath();
        }
        return null;
    }
}
