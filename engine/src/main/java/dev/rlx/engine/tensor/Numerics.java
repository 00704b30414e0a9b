package dev.rlx.engine.tensor;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What, beside the recipe and its seeds, decides the last bits of a run's numbers in this process: the PyTorch
 * build, its thread counts (a reduction split over other threads sums in another order) and the processor (the
 * kernels PyTorch picks for it). Two processes that agree on all of them compute bit-identical runs; one that
 * differs starts from other last bits, and an RL run's figures drift from there (the main example's SFT start is
 * 0.320 with two intra-op threads, 0.370 with one).
 *
 * @param libtorch the PyTorch version the engine loaded
 * @param intraOpThreads threads one op may use
 * @param interOpThreads threads for independent ops
 * @param cpu the processor's model name ("unknown" where the system does not say)
 * @param os operating system and architecture
 */
public record Numerics(String libtorch, int intraOpThreads, int interOpThreads, String cpu, String os) {
    public Numerics {
        Objects.requireNonNull(libtorch);
        Objects.requireNonNull(cpu);
        Objects.requireNonNull(os);
    }

    /** This process's numerics; loads the engine if nothing has yet. */
    public static Numerics current() {
        String version = Engine.getInstance().getVersion();
        return new Numerics(version, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads(), cpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    /**
     * How {@code now} differs from this, one "what was -> now" per field that differs, in declaration order;
     * empty when the two compute the same bits.
     */
    public List<String> changesTo(Numerics now) {
        List<String> changes = new ArrayList<>();
        if (!libtorch.equals(now.libtorch)) changes.add("libtorch " + libtorch + " -> " + now.libtorch);
        if (intraOpThreads != now.intraOpThreads) {
            changes.add("intra-op threads " + intraOpThreads + " -> " + now.intraOpThreads);
        }
        if (interOpThreads != now.interOpThreads) {
            changes.add("inter-op threads " + interOpThreads + " -> " + now.interOpThreads);
        }
        if (!cpu.equals(now.cpu)) changes.add("cpu '" + cpu + "' -> '" + now.cpu + "'");
        if (!os.equals(now.os)) changes.add("os '" + os + "' -> '" + now.os + "'");
        return changes;
    }

    /** One line for people: "libtorch 2.7.1, 2 intra-op threads, 1 inter-op, AMD EPYC, Linux amd64". */
    public String describe() {
        return "libtorch " + libtorch + ", " + intraOpThreads + " intra-op thread" + (intraOpThreads == 1 ? "" : "s")
                + ", " + interOpThreads + " inter-op, " + cpu + ", " + os;
    }

    /** As run.json holds it. */
    public JsonObject toJson() {
        JsonObject j = new JsonObject();
        j.addProperty("libtorch", libtorch);
        j.addProperty("intra_op_threads", intraOpThreads);
        j.addProperty("inter_op_threads", interOpThreads);
        j.addProperty("cpu", cpu);
        j.addProperty("os", os);
        return j;
    }

    /** From run.json's form; null when {@code json} is absent or lacks a field (runs older than the record, edits). */
    public static Numerics fromJson(JsonElement json) {
        if (!(json instanceof JsonObject n)) return null;
        try {
            return new Numerics(n.get("libtorch").getAsString(), n.get("intra_op_threads").getAsInt(),
                    n.get("inter_op_threads").getAsInt(), n.get("cpu").getAsString(), n.get("os").getAsString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The first "model name" of /proc/cpuinfo (Linux), else "unknown". */
    static String cpuModel() {
        return cpuModel(Path.of("/proc/cpuinfo"));
    }

    static String cpuModel(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.toLowerCase(Locale.ROOT).startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                    .filter(s -> !s.isEmpty())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
