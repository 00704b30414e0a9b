package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Preference pairs: what reward models and DPO train on. A pair is a {@link Row} whose prompt is the prompt
 * and whose fields {@link #CHOSEN} and {@link #REJECTED} hold the preferred and the dispreferred completion
 * (strings), with an optional {@link #MARGIN} (a Double: how much better chosen is). A dataset of them says
 * so ({@link Dataset#isPairs()}). Pairs made from a synthetic task ({@link #fromTask}) keep the right answer
 * as the row's answer and name the slip in {@link #MISTAKE}; pairs read from JSONL have no answer unless the
 * file gives one.
 */
public final class PreferencePairs {
    public static final String CHOSEN = "chosen";
    public static final String REJECTED = "rejected";
    public static final String MARGIN = "margin";
    /** For pairs made from a task: which slip made the rejected answer (off_by_one, dropped, swapped, sign_slip). */
    public static final String MISTAKE = "mistake";
    /**
     * A Boolean; true when chosen and rejected are one step of a longer response that goes on after them (Step-DPO's
     * pairs, {@link StepPreferences}): they get no EOS when encoded. Absent or false: whole responses.
     */
    public static final String PARTIAL = "partial";

    private PreferencePairs() {}

    public static boolean isPair(Row row) {
        Object margin = row.fields().get(MARGIN);
        return row.fields().get(CHOSEN) instanceof String && row.fields().get(REJECTED) instanceof String
                && (margin == null || margin instanceof Double);
    }

    public static String chosen(Row pair) {
        return (String) pair.fields().get(CHOSEN);
    }

    public static String rejected(Row pair) {
        return (String) pair.fields().get(REJECTED);
    }

    /** Whether the row's completions are partial: a step that the response continues after (no EOS). */
    public static boolean partial(Row row) {
        return Boolean.TRUE.equals(row.fields().get(PARTIAL));
    }

    /** The pair's margin, or null when it has none. */
    public static Double margin(Row pair) {
        return (Double) pair.fields().get(MARGIN);
    }

    /**
     * One pair per row of a task dataset, in its order: chosen = the right answer as a model writes it (for
     * countdown, the row's solution), rejected = a plausible wrong one ({@link WrongAnswers}): a kind of slip
     * drawn uniformly among those that apply to the answer, then one such wrong answer, both from a stream
     * fixed by {@code seed} and the row's index. The source's problems, answers, fields, split and tokenizer
     * carry over, so pairs from a test split share no problem with pairs from the train split; a wrong answer
     * the tokenizer cannot write is never picked.
     */
    public static Dataset fromTask(Dataset source, long seed) {
        if (source.kind() != Dataset.Kind.PROBLEMS) {
            throw new DataException("the dataset already holds " + (source.isPairs() ? "preference pairs"
                    : "labeled completions") + "; pairs are made from problems");
        }
        List<Row> pairs = new ArrayList<>(source.size());
        long stream = SeededRandom.hash("preferences");
        for (int i = 0; i < source.size(); i++) {
            Row row = source.get(i);
            String chosen = chosenText(row, i);
            Map<WrongAnswers.Mistake, List<String>> wrong = writable(wrongAnswers(row, chosen), chosen,
                    source.tokenizer());
            if (wrong.isEmpty()) {
                throw new DataException("row " + i + " (prompt \"" + row.prompt() + "\"): no plausible wrong answer "
                        + "to \"" + chosen + "\" that the dataset's tokenizer can write");
            }
            SeededRandom rng = new SeededRandom(Shuffle.seed(seed, i, stream));
            List<WrongAnswers.Mistake> kinds = new ArrayList<>(wrong.keySet());
            WrongAnswers.Mistake kind = kinds.get(rng.nextInt(kinds.size()));
            List<String> options = wrong.get(kind);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put(CHOSEN, chosen);
            fields.put(REJECTED, options.get(rng.nextInt(options.size())));
            fields.put(MISTAKE, kind.label);
            row.fields().forEach(fields::putIfAbsent);
            pairs.add(new Row(row.prompt(), row.answer(), fields));
        }
        return new Dataset("preferences(" + source.name() + ", seed=" + seed + ")", pairs, source.tokenizer(),
                Dataset.Kind.PAIRS);
    }

    /** Countdown rows (a solution over the given numbers) are answered by an expression; others by the answer. */
    private static String chosenText(Row row, int index) {
        if (isCountdown(row)) {
            return (String) row.fields().get("solution");
        }
        Object a = row.answer();
        if (a instanceof Long || a instanceof String s && !s.isEmpty()
                || a instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Row.answerText(a);
        }
        throw new DataException("row " + index + " (prompt \"" + row.prompt() + "\") has the answer "
                + (a == null || a == JsonlData.NULL ? "none" : Row.answerText(a))
                + "; preference pairs are made from int or non-empty string answers");
    }

    private static boolean isCountdown(Row row) {
        return row.fields().get("solution") instanceof String && row.fields().get("numbers") instanceof List<?> numbers
                && numbers.stream().allMatch(n -> n instanceof Long) && row.answer() instanceof Long;
    }

    @SuppressWarnings("unchecked")
    private static Map<WrongAnswers.Mistake, List<String>> wrongAnswers(Row row, String chosen) {
        if (isCountdown(row)) {
            return WrongAnswers.forExpression(chosen, (List<Long>) row.fields().get("numbers"), (Long) row.answer());
        }
        // an int answer (also a whole double from JSON) gets numeric slips; a string answer, character slips
        return row.answer() instanceof String s ? WrongAnswers.forSequence(s) : WrongAnswers.forNumber(Long.parseLong(chosen));
    }

    /** Keeps the wrong answers that differ from chosen and that the tokenizer writes without an unknown token. */
    private static Map<WrongAnswers.Mistake, List<String>> writable(Map<WrongAnswers.Mistake, List<String>> wrong,
            String chosen, Tokenizer tokenizer) {
        int unknown = tokenizer.tokenToId("<unk>");
        Map<WrongAnswers.Mistake, List<String>> out = new LinkedHashMap<>();
        wrong.forEach((kind, answers) -> {
            List<String> kept = answers.stream().filter(w -> !w.equals(chosen)
                    && (unknown < 0 || Arrays.stream(tokenizer.encode(w)).noneMatch(id -> id == unknown)))
                    .toList();
            if (!kept.isEmpty()) {
                out.put(kind, kept);
            }
        });
        return out;
    }
}
