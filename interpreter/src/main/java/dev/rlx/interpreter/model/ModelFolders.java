package dev.rlx.interpreter.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a model folder so that readers see the old folder or the complete new one, never a half-written
 * one: everything goes into a hidden sibling folder that is renamed into place at the end. An existing
 * folder is replaced only when it is a model folder (has config.json), so a typo cannot delete data.
 */
public final class ModelFolders {
    private ModelFolders() {}

    public static void saveAtomically(Path dir, Consumer<Path> write) {
        Path parent = dir.toAbsolutePath().getParent();
        String name = dir.getFileName().toString();
        if (Files.exists(dir) && !(Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("config.json")))) {
            throw new IllegalArgumentException(dir + " exists and is not a model folder; not overwriting it");
        }
        Path tmp = null;
        Path old = null;
        try {
            Files.createDirectories(parent);
            // createDirectory (not createTempDirectory, which makes it private) so the folder gets the umask
            tmp = Files.createDirectory(parent.resolve("." + name + ".tmp-" + Long.toHexString(System.nanoTime())));
            write.accept(tmp);
            if (Files.exists(dir)) {
                old = parent.resolve("." + name + ".old-" + Long.toHexString(System.nanoTime()));
                move(dir, old);
            }
            try {
                move(tmp, dir);
            } catch (IOException e) {
                if (old != null) {
                    move(old, dir); // put the previous model back
                    old = null;
                }
                throw e;
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot save (" + e.getMessage() + ")", e);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover hidden temp folder is harmless; the save itself succeeded or already failed
        }
    }
}
