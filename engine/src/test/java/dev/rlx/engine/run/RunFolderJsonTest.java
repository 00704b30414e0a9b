package dev.rlx.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run files are strict JSON: non-finite numbers are the strings "NaN", "Infinity" and "-Infinity". */
class RunFolderJsonTest {

    @Test
    void nonFiniteNumbersAreWrittenAsStrings() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", 3);
        line.put("loss", Double.NaN);
        line.put("bounds", List.of(Double.NEGATIVE_INFINITY, 0.5, Double.POSITIVE_INFINITY));
        line.put("nested", Map.of("kl", Float.NaN));
        assertEquals("{\"step\":3,\"loss\":\"NaN\",\"bounds\":[\"-Infinity\",0.5,\"Infinity\"],\"nested\":{\"kl\":\"NaN\"}}",
                RunFolder.toJson(line));
    }

    /** Gson reads the strings back as the same doubles, so state.json values round-trip through getAsDouble. */
    @Test
    void theStringsReadBackAsTheSameDoubles() {
        JsonObject state = new JsonObject();
        state.addProperty("best", Double.NaN);
        state.addProperty("low", Double.NEGATIVE_INFINITY);
        state.addProperty("step", 7);
        JsonObject back = JsonParser.parseString(RunFolder.toJson(state)).getAsJsonObject();
        assertEquals(Double.NaN, back.get("best").getAsDouble());
        assertEquals(Double.NEGATIVE_INFINITY, back.get("low").getAsDouble());
        assertEquals(7, back.get("step").getAsInt());
    }
}
