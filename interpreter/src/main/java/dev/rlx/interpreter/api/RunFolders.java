package dev.rlx.interpreter.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A run folder `runs/<experiment>-<hash>/` as rlx writes it before training: recipe.lock.rlx (the resolved
 * script; running it reproduces the run), overrides.txt and script_folder.txt. The trainer writes the rest.
 */
final class RunFolders {
    static final String LOCK = "recipe.lock.rlx";

    /**
     * Names the folder of the script a run came from. The lock inlines that script, so the relative data and
     * model paths in it resolve against this folder (see {@link #fileRoot}); the run hash never depends on it.
     */
    static final String SCRIPT_FOLDER = "script_folder.txt";

    private RunFolders() {}

    /** Creates {@code runsRoot}/<experiment>-<hash>/ for a new run of the script and writes its lock and overrides. */
    static Path create(RlxSession session, RlxSession.Script script, String experiment, Path runsRoot) {
        String lock = session.lockText(script);
        Path runDir = runsRoot.resolve(experiment + "-" + RlxSession.runHash(lock));
        if (Files.isDirectory(runDir.resolve("checkpoints")) && hasCheckpoint(runDir)) {
            throw new RlxError("error: " + runDir + " already holds a run of this exact recipe\n  hint: continue it with "
                    + "`rlx run --resume " + runDir + "`, or delete the folder to start over", null);
        }
        try {
            Files.createDirectories(runDir);
            writeAtomically(runDir.resolve(LOCK), lock);
            StringBuilder overrides = new StringBuilder();
            script.overrides().forEach(o -> overrides.append(o.name()).append('=').append(o.value()).append('\n'));
            writeAtomically(runDir.resolve("overrides.txt"), overrides.toString());
            if (script.path() != null) {
                Path folder = script.path().toAbsolutePath().normalize().getParent();
                writeAtomically(runDir.resolve(SCRIPT_FOLDER), folder + "\n");
            }
        } catch (IOException e) {
            throw new RlxError("error: cannot write the run folder " + runDir + ": " + e.getMessage(), e);
        }
        return runDir;
    }

    /** Loads the recipe of the run in {@code runDir} (its recipe.lock.rlx), to continue it. */
    static RlxSession.Script loadForResume(RlxSession session, Path runDir) {
        Path lock = runDir.resolve(LOCK);
        if (!Files.isRegularFile(lock)) {
            throw new RlxError("error: " + runDir + " is not a run folder (no " + LOCK + ")", null);
        }
        return loadLock(session, lock, Map.of());
    }

    /** Loads a run's lock file with its data and model paths resolved where the original script had them. */
    static RlxSession.Script loadLock(RlxSession session, Path lock, Map<String, String> overrides) {
        return session.loadLock(lock, fileRoot(lock), overrides);
    }

    /** Whether {@code file} is a run's lock file (loaded with {@link #loadLock}, not as a plain script). */
    static boolean isLockFile(Path file) {
        return file.getFileName() != null && file.getFileName().toString().equals(LOCK);
    }

    /**
     * The folder that relative file paths in a lock file resolve against: the recorded script folder when it
     * still exists, else the lock's own folder (a run folder copied elsewhere, with its data beside the lock).
     */
    static Path fileRoot(Path lock) {
        Path own = lock.toAbsolutePath().normalize().getParent();
        Path record = own.resolve(SCRIPT_FOLDER);
        if (Files.isRegularFile(record)) {
            try {
                String recorded = Files.readString(record, StandardCharsets.UTF_8).strip();
                if (!recorded.isEmpty() && Files.isDirectory(Path.of(recorded))) {
                    return Path.of(recorded);
                }
            } catch (IOException | InvalidPathException e) {
                // unreadable record: fall back to the lock's folder, where a missing file is reported plainly
            }
        }
        return own;
    }

    private static boolean hasCheckpoint(Path runDir) {
        try (var s = Files.list(runDir.resolve("checkpoints"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("step-"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
