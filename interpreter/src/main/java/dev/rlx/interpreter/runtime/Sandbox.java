package dev.rlx.interpreter.runtime;

import java.nio.file.Path;

/**
 * The only way a script reaches the file system: data and model paths it names, resolved relative
 * to the script's own folder, and never outside it. There is no way to list folders, read the
 * environment, the clock, the network or start processes.
 */
public final class Sandbox {
    private Sandbox() {}

    /** Resolves {@code path} against {@code scriptDir}; a path escaping the folder is an error message. */
    public static Path resolve(Path scriptDir, String path) {
        if (scriptDir == null) {
            throw new IllegalArgumentException("'" + path + "': file access needs a script file "
                    + "(`rlx eval` and the stdlib cannot read or write files; the REPL uses the current directory)");
        }
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            throw new IllegalArgumentException("'" + path + "': absolute paths are not allowed; "
                    + "name files relative to the script's folder");
        }
        Path base = scriptDir.toAbsolutePath().normalize();
        Path resolved = base.resolve(p).normalize();
        if (!resolved.startsWith(base)) {
            throw new IllegalArgumentException("'" + path + "' is outside the script's folder " + base);
        }
        return resolved;
    }
}
