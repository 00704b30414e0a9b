package dev.rlx.interpreter.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.run.FileDigests;
import dev.rlx.engine.run.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code inputs.json} beside a run's lock: the size and SHA-256 of every data, model and tokenizer file the
 * script read (models it saved itself excluded), by path relative to the script's folder. The lock pins the
 * recipe; this pins what it read. Resuming the run, or running its lock again, first checks these files and
 * stops with a message naming the first one that changed, unless the change is accepted
 * ({@code --accept-changed-inputs}), which records the new digests.
 */
final class RunInputs {
    static final String NAME = "inputs.json";

    private RunInputs() {}

    /** The digests of {@code inputs} (absolute paths), relative to {@code root}. */
    static TreeMap<String, JsonObject> digests(Path root, List<Path> inputs) {
        TreeMap<String, JsonObject> out = new TreeMap<>();
        for (Path p : inputs) {
            try {
                out.putAll(FileDigests.of(root, p));
            } catch (IOException e) {
                throw new RlxError("error: cannot read " + p + " to record its digest: " + e.getMessage(), e);
            }
        }
        return out;
    }

    static void write(Path runDir, Map<String, JsonObject> digests) {
        JsonObject files = new JsonObject();
        digests.forEach(files::add);
        JsonObject o = new JsonObject();
        o.add("files", files);
        Path file = runDir.resolve(NAME);
        Path tmp = file.resolveSibling("." + NAME + ".tmp");
        try {
            Files.writeString(tmp, RunFolder.toJson(o) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RlxError("error: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * How the files recorded in {@code recorded} (an inputs.json; absent: nothing to check) differ from what is
     * on disk under {@code root} now: one line per changed or missing file, empty when none did.
     */
    static List<String> changes(Path recorded, Path root) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(recorded)) return out;
        JsonObject files;
        try {
            JsonElement e = JsonParser.parseString(Files.readString(recorded, StandardCharsets.UTF_8));
            files = e.getAsJsonObject().getAsJsonObject("files");
        } catch (IOException | RuntimeException e) {
            out.add(recorded + " is unreadable (" + e.getMessage() + ")");
            return out;
        }
        for (var f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            if (!Files.isRegularFile(p)) {
                out.add(f.getKey() + " is missing (looked for " + p + ")");
                continue;
            }
            try {
                JsonObject now = FileDigests.of(root, p).get(f.getKey());
                if (now == null || !FileDigests.same(now, f.getValue().getAsJsonObject())) {
                    out.add(f.getKey() + " changed since the run read it (" + p + ")");
                }
            } catch (IOException e) {
                out.add(f.getKey() + " is unreadable (" + e.getMessage() + ")");
            }
        }
        return out;
    }
}
