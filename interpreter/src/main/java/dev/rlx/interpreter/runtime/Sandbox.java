package dev.rlx.interpreter.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The only way a script reaches the file system: data and model paths it names, resolved relative
 * to the script's own folder, and never outside it. There is no way to list folders, read the
 * environment, the clock, the network or start processes.
 *
 * <p>"Inside" is decided twice: on the path as written (no absolute paths, no {@code ..} out of the folder)
 * and on the file it reaches, with symbolic links followed, so a link in the folder that points elsewhere
 * cannot be used to read or write there. For a path that does not exist yet (a file about to be written),
 * its deepest existing ancestor is the one resolved. A link swapped in between the check and the use is
 * not caught: the sandbox keeps a recipe from naming files outside its folder, it is not a defence against
 * another process rewriting that folder meanwhile.
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
        Path real = realPath(resolved);
        Path realBase = realPath(base);
        if (!real.startsWith(realBase)) {
            throw new IllegalArgumentException("'" + path + "' leads through a symbolic link to " + real
                    + ", outside the script's folder " + base);
        }
        return resolved;
    }

    /**
     * {@code p} with every symbolic link followed; for a path that does not exist (yet), its deepest existing
     * ancestor resolved and the rest appended as written (those parts cannot be links: they do not exist).
     */
    public static Path realPath(Path p) {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) return p;
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest);
        } catch (IOException e) {
            // a dangling link: where it points is outside anything we can check, so refuse it as such
            throw new IllegalArgumentException("'" + existing + "' is a symbolic link to nothing ("
                    + e.getMessage() + ")");
        }
    }
}
