package dev.rlx.interpreter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records built in Java, passed to a script function loaded from text. */
class ScriptValuesTest {
    @Test
    void aRecordFromJavaIsAnOrdinaryRecordToTheScript() {
        try (RlxSession session = new RlxSession(new ByteArrayOutputStream())) {
            RlxSession.Script script = session.loadText("mem.rlx", "reward len_of(s) = len(s.completion) * 1.0\n");
            FunctionHandle reward = session.handle(session.value(script, "len_of"), 1, Duration.ofSeconds(5));
            Object sample = ScriptValues.record(List.of("completion", "answer"), List.of("abc", 3L));
            assertEquals(3.0, reward.call(sample));
            assertEquals("{completion: \"abc\", answer: 3}", RlxSession.display(sample));
            RlxError e = assertThrows(RlxError.class, () -> session.loadText("mem.rlx", "x = (1"));
            assertEquals("mem.rlx:1:7: ", e.formatted().substring(0, 13));
        }
        assertThrows(IllegalArgumentException.class, () -> ScriptValues.record(List.of("a"), List.of()));
    }
}
