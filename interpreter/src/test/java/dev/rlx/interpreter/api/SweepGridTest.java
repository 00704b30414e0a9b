package dev.rlx.interpreter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepGridTest {
    private static Map<String, String> sets(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void axesMultiplyFirstSlowestWithSeedInnermostAndSingleValuesAreFixed() {
        SweepGrid g = SweepGrid.parse(sets("seed", "1, 2", "lr", "1e-5,3e-5", "steps", "150", "group", "8,16",
                "stop", "[\",\", \";\"]", "name", "\"a,b\""));
        assertEquals(List.of("1", "2"), g.seeds());
        assertEquals(Map.of("steps", "150", "stop", "[\",\", \";\"]", "name", "\"a,b\""), g.fixed());
        assertEquals(List.of(Map.of("lr", "1e-5", "group", "8"), Map.of("lr", "1e-5", "group", "16"),
                Map.of("lr", "3e-5", "group", "8"), Map.of("lr", "3e-5", "group", "16")), g.points());
        assertEquals(List.of("steps", "stop", "name", "lr", "group", "seed"),
                List.copyOf(g.overrides(g.points().get(1), "2").keySet()));
        assertEquals("16", g.overrides(g.points().get(1), "2").get("group"));
        assertEquals(Map.of("lr", List.of("1e-5", "3e-5"), "group", List.of("8", "16"), "seed", List.of("1", "2")), g.asMap());
    }

    @Test
    void withoutAxesThereIsOnePointAndASingleSeedIsStillTheSeed() {
        SweepGrid g = SweepGrid.parse(sets("seed", "7", "steps", "10"));
        assertEquals(List.of(Map.of()), g.points());
        assertEquals(List.of("7"), g.seeds());
        assertTrue(SweepGrid.parse(sets()).seeds().isEmpty());
    }

    @Test
    void malformedListsAreErrors() {
        RlxError empty = assertThrows(RlxError.class, () -> SweepGrid.parse(sets("lr", "1e-5,")));
        assertEquals("error: --set lr=1e-5,: an empty value in the list; write the values separated by commas, e.g. "
                + "--set lr=1,2,3", empty.getMessage());
        RlxError twice = assertThrows(RlxError.class, () -> SweepGrid.parse(sets("seed", "1,2,1")));
        assertEquals("error: --set seed=1,2,1: 1 is given twice", twice.getMessage());
    }
}
