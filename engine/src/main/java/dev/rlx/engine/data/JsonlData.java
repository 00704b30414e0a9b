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
 * string, or a conversation (an array of {role, content} objects: a chat row, see {@link Row#MESSAGES}); the answer field any JSON value; every other key becomes a field of the row. Pair files
 * ({@link #loadPairs}) also need a chosen and a rejected completion per line, labeled files ({@link #loadLabeled})
 * a completion and a desirable flag, scored files ({@link #loadScored}) a completion, its reward and the rewards of K
 * reference samples (K the same on every line). Errors name the file as the
 * script wrote it and the 1-based line; no line is ever skipped for being malformed. The tokenizer is a
 * character tokenizer over every character of the prompts, answers and completions (fine for small synthetic
 * sets; real text wants load_tokenizer).
 */
public final class JsonlData {
    private JsonlData() {}

    /** Which completion fields a line has besides its prompt: one of the records below (none: prompt rows). */
    public sealed interface Form permits PairFields, LabeledFields, ScoredFields {}

    /**
     * The fields of a preference-pair line: {@code chosen} and {@code rejected} name string fields every line
     * must have; {@code margin}, when not null, names an optional numeric field.
     */
    public record PairFields(String chosen, String rejected, String margin) implements Form {}

    /**
     * The fields of an unpaired labeled line (KTO's data): {@code completion} names a string field and
     * {@code desirable} a boolean field every line must have.
     */
    public record LabeledFields(String completion, String desirable) implements Form {}

    /**
     * The fields of a scored line (QRPO's data): {@code completion} names a string field, {@code reward} a finite
     * number and {@code referenceScores} a non-empty array of finite numbers every line must have.
     */
    public record ScoredFields(String completion, String score, String referenceScores) implements Form {}

    /**
     * @param file        the file to read
     * @param shownName   how errors name it (the path as the script wrote it)
     * @param answerField null when the data has no answers
     */
    public static Dataset load(Path file, String shownName, String promptField, String answerField) {
        return read(file, shownName, promptField, answerField, null);
    }

    /**
     * A pair dataset ({@link PreferencePairs}): each line's chosen and rejected completions become the row's
     * {@link PreferencePairs#CHOSEN} and {@link PreferencePairs#REJECTED} fields whatever the file calls them,
     * and its margin (when present) {@link PreferencePairs#MARGIN}, a Double. Here the answer is optional on
     * each line: pair data rarely has one.
     */
    public static Dataset loadPairs(Path file, String shownName, String promptField, String answerField,
            PairFields pairs) {
        return read(file, shownName, promptField, answerField, pairs);
    }

    /**
     * A labeled dataset ({@link LabeledCompletions}): each line's completion and desirable flag become the row's
     * {@link LabeledCompletions#COMPLETION} and {@link LabeledCompletions#DESIRABLE} fields whatever the file
     * calls them. The answer is optional on each line, as for pairs.
     */
    public static Dataset loadLabeled(Path file, String shownName, String promptField, String answerField,
            LabeledFields labeled) {
        return read(file, shownName, promptField, answerField, labeled);
    }

    /**
     * A scored dataset ({@link ScoredCompletions}): each line's completion, reward and reference rewards become the
     * row's {@link ScoredCompletions#COMPLETION}, {@link ScoredCompletions#REWARD} (a Double) and
     * {@link ScoredCompletions#REFERENCE_SCORES} (a List of Doubles) whatever the file calls them. Every line must
     * have as many reference rewards as the first. The answer is optional on each line, as for pairs.
     */
    public static Dataset loadScored(Path file, String shownName, String promptField, String answerField,
            ScoredFields scored) {
        return read(file, shownName, promptField, answerField, scored);
    }

    /** {@code form} null: prompt rows. */
    private static Dataset read(Path file, String shownName, String promptField, String answerField, Form form) {
        List<Row> rows = new ArrayList<>();
        int firstK = 0; // the first scored line's K, which every later line must match
        int firstKLine = 0;
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
                String where = shownName + ":" + lineNo;
                Row row = parseLine(line, where, promptField, answerField, form);
                row.prompt().codePoints().forEach(chars::add);
                if (row.messages() != null) {
                    row.messages().forEach(m -> ((String) m.get("content")).codePoints().forEach(chars::add));
                }
                if (row.answer() != null && row.answer() != NULL) {
                    Row.answerText(row.answer()).codePoints().forEach(chars::add);
                }
                switch (form) {
                    case PairFields p -> {
                        PreferencePairs.chosen(row).codePoints().forEach(chars::add);
                        PreferencePairs.rejected(row).codePoints().forEach(chars::add);
                    }
                    case LabeledFields l -> LabeledCompletions.completion(row).codePoints().forEach(chars::add);
                    case ScoredFields sf -> {
                        ScoredCompletions.completion(row).codePoints().forEach(chars::add);
                        int k = ScoredCompletions.referenceScores(row).length;
                        if (firstKLine == 0) {
                            firstK = k;
                            firstKLine = lineNo;
                        } else if (k != firstK) {
                            throw new DataException(where + ": field \"" + sf.referenceScores() + "\" (the scores of "
                                    + "the reference samples) has " + k + " numbers, line " + firstKLine
                                    + " has " + firstK + ": every line needs the same number K of reference scores");
                        }
                    }
                    case null -> { }
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
        Dataset.Kind kind = switch (form) {
            case PairFields p -> Dataset.Kind.PAIRS;
            case LabeledFields l -> Dataset.Kind.LABELED;
            case ScoredFields sf -> Dataset.Kind.SCORED;
            case null -> Dataset.Kind.PROBLEMS;
        };
        return new Dataset(file.getFileName().toString(), rows, VocabTokenizer.chars(alphabet.toString()), kind);
    }

    private static Row parseLine(String line, String where, String promptField, String answerField, Form form) {
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
        JsonElement promptValue = obj.get(promptField);
        List<Object> messages = promptValue instanceof JsonArray arr ? messages(arr, promptField, where) : null;
        String prompt = messages != null ? lastContent(messages) : string(obj, promptField, "the prompt", where);
        Object answer = null;
        if (answerField != null) {
            JsonElement a = obj.get(answerField);
            if (a == null && form == null) {
                throw new DataException(where + ": missing field \"" + answerField + "\" (the answer); the line has "
                        + obj.keySet());
            }
            answer = a == null ? null : convert(a);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        List<String> taken = new ArrayList<>(List.of(promptField));
        if (answerField != null) {
            taken.add(answerField);
        }
        if (form instanceof PairFields pairs) {
            // under the names every reader of pairs knows, whatever the file calls them
            fields.put(PreferencePairs.CHOSEN, string(obj, pairs.chosen(), "the chosen completion", where));
            fields.put(PreferencePairs.REJECTED, string(obj, pairs.rejected(), "the rejected completion", where));
            // the canonical names are never copied as other fields: "margin" must stay a Double or absent
            taken.addAll(List.of(pairs.chosen(), pairs.rejected(), PreferencePairs.CHOSEN, PreferencePairs.REJECTED,
                    PreferencePairs.MARGIN));
            if (pairs.margin() != null) {
                taken.add(pairs.margin());
            }
            JsonElement m = pairs.margin() == null ? null : obj.get(pairs.margin());
            if (m != null) {
                if (!(m instanceof JsonPrimitive prim && prim.isNumber())) {
                    throw new DataException(where + ": field \"" + pairs.margin() + "\" (the margin) must be a number, "
                            + "not " + describe(m));
                }
                fields.put(PreferencePairs.MARGIN, m.getAsDouble());
            }
        }
        if (form instanceof LabeledFields labeled) {
            fields.put(LabeledCompletions.COMPLETION, string(obj, labeled.completion(), "the completion", where));
            JsonElement d = obj.get(labeled.desirable());
            if (d == null) {
                throw new DataException(where + ": missing field \"" + labeled.desirable() + "\" (whether the "
                        + "completion is desirable); the line has " + obj.keySet());
            }
            if (!(d instanceof JsonPrimitive prim && prim.isBoolean())) {
                throw new DataException(where + ": field \"" + labeled.desirable() + "\" (whether the completion is "
                        + "desirable) must be true or false, not " + describe(d));
            }
            fields.put(LabeledCompletions.DESIRABLE, d.getAsBoolean());
            taken.addAll(List.of(labeled.completion(), labeled.desirable(), LabeledCompletions.COMPLETION,
                    LabeledCompletions.DESIRABLE));
        }
        if (form instanceof ScoredFields scored) {
            fields.put(ScoredCompletions.COMPLETION, string(obj, scored.completion(), "the completion", where));
            fields.put(ScoredCompletions.SCORE, number(obj.get(scored.score()), scored.score(),
                    "the completion's score", obj, where));
            fields.put(ScoredCompletions.REFERENCE_SCORES, referenceScores(obj, scored.referenceScores(), where));
            taken.addAll(List.of(scored.completion(), scored.score(), scored.referenceScores(),
                    ScoredCompletions.COMPLETION, ScoredCompletions.SCORE, ScoredCompletions.REFERENCE_SCORES));
        }
        for (Map.Entry<String, JsonElement> f : obj.entrySet()) {
            if (!taken.contains(f.getKey())) {
                fields.put(f.getKey(), convert(f.getValue()));
            }
        }
        if (messages != null) {
            fields.put(Row.MESSAGES, messages);
        }
        return new Row(prompt, answer, fields);
    }

    /**
     * A prompt field holding a conversation: a non-empty array of {"role": string, "content": string, ...}
     * objects, kept as maps (the chat row's {@link Row#MESSAGES}); anything else is an error naming the item.
     */
    private static List<Object> messages(JsonArray arr, String field, String where) {
        if (arr.isEmpty()) {
            throw new DataException(where + ": field \"" + field + "\" (the prompt) is an empty list of messages");
        }
        for (int i = 0; i < arr.size(); i++) {
            JsonElement m = arr.get(i);
            String item = where + ": field \"" + field + "\" (the prompt, message " + (i + 1) + ")";
            if (!(m instanceof JsonObject o)) {
                throw new DataException(item + " must be an object {\"role\": ..., \"content\": ...}, not " + describe(m));
            }
            for (String key : List.of("role", "content")) {
                if (!(o.get(key) instanceof JsonPrimitive p && p.isString())) {
                    throw new DataException(item + ": \"" + key + "\" must be a string"
                            + (o.has(key) ? ", not " + describe(o.get(key)) : "; the message has " + o.keySet()));
                }
            }
        }
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) convert(arr);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String lastContent(List<Object> messages) {
        return (String) ((Map<String, Object>) messages.get(messages.size() - 1)).get("content");
    }

    /** The string value of a field every line must have; {@code role} says what it is for in the errors. */
    private static String string(JsonObject obj, String field, String role, String where) {
        JsonElement v = obj.get(field);
        if (v == null) {
            throw new DataException(where + ": missing field \"" + field + "\" (" + role + "); the line has "
                    + obj.keySet());
        }
        if (!(v instanceof JsonPrimitive prim && prim.isString())) {
            throw new DataException(where + ": field \"" + field + "\" (" + role + ") must be a string, not "
                    + describe(v));
        }
        return v.getAsString();
    }

    /**
     * A finite number (as a Double); {@code v} null when the line lacks the field. JSON has no NaN, but a number
     * too large for a double (1e999) would read as infinite, and a quantile of an infinite reward says nothing.
     */
    private static Double number(JsonElement v, String field, String role, JsonObject obj, String where) {
        if (v == null) {
            throw new DataException(where + ": missing field \"" + field + "\" (" + role + "); the line has "
                    + obj.keySet());
        }
        if (!(v instanceof JsonPrimitive prim && prim.isNumber())) {
            throw new DataException(where + ": field \"" + field + "\" (" + role + ") must be a number, not "
                    + describe(v));
        }
        double d = v.getAsDouble();
        if (!Double.isFinite(d)) {
            throw new DataException(where + ": field \"" + field + "\" (" + role + ") must be a finite number, not "
                    + prim.getAsString());
        }
        return d;
    }

    /** The K reference rewards of a scored line: a non-empty array of finite numbers. */
    private static List<Double> referenceScores(JsonObject obj, String field, String where) {
        String role = "the scores of the reference samples";
        JsonElement v = obj.get(field);
        if (v == null) {
            throw new DataException(where + ": missing field \"" + field + "\" (" + role + "); the line has "
                    + obj.keySet());
        }
        if (!(v instanceof JsonArray arr)) {
            throw new DataException(where + ": field \"" + field + "\" (" + role + ") must be an array of numbers, "
                    + "not " + describe(v));
        }
        if (arr.isEmpty()) {
            throw new DataException(where + ": field \"" + field + "\" (" + role + ") is empty: the quantile needs "
                    + "at least one reference score");
        }
        List<Double> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            out.add(number(arr.get(i), field, role + ", item " + (i + 1), obj, where));
        }
        return out;
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
    public static Object convert(JsonElement e) {
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
