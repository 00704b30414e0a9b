package dev.rlx.engine.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code manifest.json}: the size and SHA-256 of every other file of a checkpoint, written last (after
 * state.json) into the temp folder before its rename. A resume checks it, so a checkpoint whose files were
 * cut short or changed on disk (a full disk, a bad copy, a hand edit) is recognized and passed over instead
 * of loaded.
 */
final class CheckpointManifest {
    static final String NAME = "manifest.json";

    private CheckpointManifest() {}

    static void write(Path dir) throws IOException {
        JsonObject files = new JsonObject();
        for (var e : scan(dir).entrySet()) files.add(e.getKey(), e.getValue());
        JsonObject m = new JsonObject();
        m.add("files", files);
        RunFolder.writeAtomically(dir.resolve(NAME), RunFolder.toJson(m) + "\n");
    }

    /** Why {@code dir} does not match its manifest (the first difference found), or empty when it does. */
    static Optional<String> problem(Path dir) {
        Path file = dir.resolve(NAME);
        if (!Files.isRegularFile(file)) return Optional.of("no " + NAME + " (written last: the checkpoint is incomplete)");
        JsonObject expected;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            expected = e.getAsJsonObject().getAsJsonObject("files");
            if (expected == null) return Optional.of(NAME + " lists no files");
        } catch (IOException | RuntimeException ex) {
            return Optional.of(NAME + " is unreadable (" + ex.getMessage() + ")");
        }
        TreeMap<String, JsonObject> actual;
        try {
            actual = scan(dir);
        } catch (IOException | UncheckedIOException ex) {
            return Optional.of("cannot read its files (" + ex.getMessage() + ")");
        }
        for (var e : expected.entrySet()) {
            JsonObject have = actual.get(e.getKey());
            if (have == null) return Optional.of(e.getKey() + " is missing");
            JsonObject want = e.getValue().getAsJsonObject();
            if (have.get("bytes").getAsLong() != want.get("bytes").getAsLong()) {
                return Optional.of(e.getKey() + " has " + have.get("bytes").getAsLong() + " bytes, the manifest says "
                        + want.get("bytes").getAsLong());
            }
            if (!have.get("sha256").getAsString().equals(want.get("sha256").getAsString())) {
                return Optional.of(e.getKey() + " differs from its SHA-256 in the manifest");
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.has(name)) return Optional.of(name + " is not in the manifest");
        }
        return Optional.empty();
    }

    /** Every regular file under {@code dir} but the manifest, by '/'-separated relative path. */
    private static TreeMap<String, JsonObject> scan(Path dir) throws IOException {
        TreeMap<String, JsonObject> out = FileDigests.of(dir, dir);
        out.remove(NAME);
        return out;
    }
}
