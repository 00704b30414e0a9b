package dev.rlx.engine.run;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Size and SHA-256 of files, for checkpoint manifests and a run's pinned inputs. */
public final class FileDigests {
    private FileDigests() {}

    /**
     * {@code {"bytes": n, "sha256": hex}} for {@code target} (a file) or each regular file under it (a folder), by
     * '/'-separated path relative to {@code root}.
     */
    public static TreeMap<String, JsonObject> of(Path root, Path target) throws IOException {
        TreeMap<String, JsonObject> out = new TreeMap<>();
        List<Path> files;
        if (Files.isDirectory(target)) {
            try (Stream<Path> s = Files.walk(target)) {
                files = s.filter(Files::isRegularFile).toList();
            }
        } else {
            files = List.of(target);
        }
        for (Path f : files) {
            JsonObject o = new JsonObject();
            o.addProperty("bytes", Files.size(f));
            o.addProperty("sha256", sha256(f));
            out.put(root.relativize(f).toString().replace('\\', '/'), o);
        }
        return out;
    }

    /** Whether two {@link #of} entries describe the same content. */
    public static boolean same(JsonObject a, JsonObject b) {
        return a.get("bytes").getAsLong() == b.get("bytes").getAsLong()
                && a.get("sha256").getAsString().equals(b.get("sha256").getAsString());
    }

    public static String sha256(Path f) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
