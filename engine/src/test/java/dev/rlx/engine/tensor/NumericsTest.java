package dev.rlx.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NumericsTest {
    private static final Numerics BASE = new Numerics("2.7.1", 2, 1, "AMD EPYC 9B14", "Linux amd64");

    @Test
    void changesNameEachFieldThatDiffersInOrder() {
        assertEquals(List.of(), BASE.changesTo(new Numerics("2.7.1", 2, 1, "AMD EPYC 9B14", "Linux amd64")));
        assertEquals(List.of("intra-op threads 2 -> 1"), BASE.changesTo(new Numerics("2.7.1", 1, 1, "AMD EPYC 9B14",
                "Linux amd64")));
        assertEquals(List.of("libtorch 2.7.1 -> 2.5.1", "inter-op threads 1 -> 4", "cpu 'AMD EPYC 9B14' -> 'Intel Xeon'",
                        "os 'Linux amd64' -> 'Mac OS X aarch64'"),
                BASE.changesTo(new Numerics("2.5.1", 2, 4, "Intel Xeon", "Mac OS X aarch64")));
    }

    @Test
    void theCpuIsTheFirstModelNameOfCpuinfo(@TempDir Path dir) throws IOException {
        Path info = Files.writeString(dir.resolve("cpuinfo"), """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC   9B14 96-Core Processor
                processor\t: 1
                model name\t: something else
                """);
        assertEquals("AMD EPYC 9B14 96-Core Processor", Numerics.cpuModel(info));
        assertEquals("unknown", Numerics.cpuModel(Files.writeString(dir.resolve("arm"), "processor\t: 0\nBogoMIPS\t: 50\n")));
        assertEquals("unknown", Numerics.cpuModel(dir.resolve("missing")));
    }

    /** The thread count is read from the engine as it is now: set to another count and back, the record follows. */
    @Test
    void thisProcessReportsTheEnginesVersionAndThreads() {
        Numerics before = Numerics.current();
        assertTrue(before.libtorch().matches("\\d+\\.\\d+(\\.\\d+)?.*"), before.libtorch());
        assertTrue(before.intraOpThreads() >= 1 && before.interOpThreads() >= 1, before.toString());
        int other = before.intraOpThreads() == 1 ? 2 : 1;
        try {
            JniUtils.setNumThreads(other);
            assertEquals(List.of("intra-op threads " + before.intraOpThreads() + " -> " + other),
                    before.changesTo(Numerics.current()));
        } finally {
            JniUtils.setNumThreads(before.intraOpThreads());
        }
        assertEquals(before, Numerics.current());
    }
}
