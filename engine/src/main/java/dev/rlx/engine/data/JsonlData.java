package dev.rlx.engine.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.internal.Streams;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * User data: a JSON Lines file, one object per line (blank lines are skipped). The prompt field must be a
 * string; the answer field any JSON value; every other key becomes a field of the row. Errors name the file
 * as the script wrote it and the 1-based line. The tokenizer is a character tokenizer over every character
 * of the prompts and answers (fine for small synthetic sets; real text wants load_tokenizer).
 */
public final class JsonlData {
    private JsonlData() {}

    /**
     * @param file        the file to read
     * @param shownName   how errors name it (the path as the script wrote it)
     * @param answerField null when the data has no answers
     */
    public static Dataset load(Path file, String shownName, String promptField, String answerField) {
        List<Row> rows = new ArrayList<>();
        TreeSet<Integer> chars = new TreeSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                Row row = parseLine(line, shownName + ":" + lineNo, promptField, answerField);
                row.prompt().codePoints().forEach(chars::add);
                if (row.answer() != null && row.answer() != NULL) {
                    Row.answerText(row.answer()).codePoints().forEach(chars::add);
                }
                rows.add(row);
            }
        } catch (MalformedInputException e) {
            throw new DataException(shownName + ": not UTF-8 text");
        } catch (IOException e) {
            throw new DataException(shownName + ": cannot read: " + e.getMessage());
        }
        if (rows.isEmpty()) {
            throw new DataException(shownName + ": no rows (expected one JSON object per line)");
        }
        StringBuilder alphabet = new StringBuilder();
        chars.forEach(alphabet::appendCodePoint);
        return new Dataset(file.getFileName().toString(), rows, VocabTokenizer.chars(alphabet.toString()));
    }

    private static Row parseLine(String line, String where, String promptField, String answerField) {
        JsonElement e;
        try {
            JsonReader reader = new JsonReader(new StringReader(line));
            reader.setStrictness(Strictness.STRICT);
            e = Streams.parse(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new DataException(where + ": malformed JSON: text after the object (expected one JSON object per line)");
            }
        } catch (JsonParseException | IOException | IllegalStateException ex) {
            throw new DataException(where + ": malformed JSON (expected one JSON object per line): " + reason(ex));
        }
        if (!(e instanceof JsonObject obj)) {
            throw new DataException(where + ": expected a JSON object, found " + describe(e));
        }
        JsonElement p = obj.get(promptField);
        if (p == null) {
            throw new DataException(where + ": missing field \"" + promptField + "\" (the prompt); the line has "
                    + obj.keySet());
        }
        if (!(p instanceof JsonPrimitive prim && prim.isString())) {
            throw new DataException(where + ": field \"" + promptField + "\" (the prompt) must be a string, not "
                    + describe(p));
        }
        Object answer = null;
        if (answerField != null) {
            JsonElement a = obj.get(answerField);
            if (a == null) {
                throw new DataException(where + ": missing field \"" + answerField + "\" (the answer); the line has "
                        + obj.keySet());
            }
            answer = convert(a);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> f : obj.entrySet()) {
            if (!f.getKey().equals(promptField) && !f.getKey().equals(answerField)) {
                fields.put(f.getKey(), convert(f.getValue()));
            }
        }
        return new Row(p.getAsString(), answer, fields);
    }

    private static String reason(Exception ex) {
        String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        int cut = m.indexOf("\nSee https");
        m = cut >= 0 ? m.substring(0, cut) : m;
        m = m.replace("com.google.gson.stream.MalformedJsonException: ", "");
        // Gson parses the line alone, so its "line 1" says nothing; keep its column, which points just past the problem
        return m.replaceAll(" at line 1 column (\\d+) path \\S*", " near column $1");
    }

    private static String describe(JsonElement e) {
        if (e.isJsonNull()) {
            return "null";
        } else if (e.isJsonArray()) {
            return "an array";
        } else if (e.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isString() ? "a string" : p.isNumber() ? "a number" : "a boolean";
    }

    /** JSON to plain Java: Long (integral numbers that fit), Double, String, Boolean, List, Map, NULL. */
    static Object convert(JsonElement e) {
        if (e.isJsonNull()) {
            return NULL;
        } else if (e instanceof JsonArray arr) {
            List<Object> out = new ArrayList<>();
            arr.forEach(x -> out.add(convert(x)));
            return out;
        } else if (e instanceof JsonObject obj) {
            Map<String, Object> out = new LinkedHashMap<>();
            obj.entrySet().forEach(x -> out.put(x.getKey(), convert(x.getValue())));
            return out;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        } else if (p.isString()) {
            return p.getAsString();
        }
        String text = p.getAsString();
        if (text.matches("-?[0-9]+")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooBig) {
                return Double.parseDouble(text);
            }
        }
        return Double.parseDouble(text);
    }

    /** JSON null in a row (Row's maps cannot hold Java null). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };
}
