package dev.rlx.engine.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plausible wrong answers a preference pair rejects: the slips a model learning the task makes, one edit
 * away from the right answer, so that a reward model has to read the answer to tell them apart (a random
 * number would be told apart by its length). Each method lists every wrong answer of each kind in a fixed order,
 * so that a seeded pick among them is reproducible; kinds with no wrong answer for this answer are left out.
 */
final class WrongAnswers {
    /** The kinds of slips; their labels are what a pair row's `mistake` field holds. */
    enum Mistake {
        /** A digit (or letter) one off: 42 -> 43 or 32; in countdown, a number one off: 3*5+7 -> 3*5+8. */
        OFF_BY_ONE("off_by_one"),
        /** A digit or character dropped: 142 -> 12; in countdown, the last operand: 3*5+7 -> 3*5. */
        DROPPED("dropped"),
        /** Two neighbouring digits or characters swapped: 142 -> 412; in countdown, two numbers: 3*7+5. */
        SWAPPED("swapped"),
        /** The sign flipped: 42 -> -42; in countdown, an operator flipped (+ and -, * and /): 3*5-7. */
        SIGN_SLIP("sign_slip");

        final String label;

        Mistake(String label) {
            this.label = label;
        }
    }

    private WrongAnswers() {}

    /** Wrong answers for an integer answer, each written as a model writes an int (no leading zeros, no "-0"). */
    static Map<Mistake, List<String>> forNumber(long answer) {
        String text = Long.toString(answer);
        boolean negative = text.startsWith("-");
        String sign = negative ? "-" : "";
        String digits = negative ? text.substring(1) : text;
        Map<Mistake, Set<String>> out = kinds();
        for (String edited : offByOne(digits)) {
            out.get(Mistake.OFF_BY_ONE).add(sign + edited);
        }
        for (String edited : dropped(digits)) {
            out.get(Mistake.DROPPED).add(sign + edited);
        }
        for (String edited : swapped(digits)) {
            out.get(Mistake.SWAPPED).add(sign + edited);
        }
        if (answer != 0) {
            out.get(Mistake.SIGN_SLIP).add(negative ? digits : "-" + digits);
        }
        out.values().forEach(set -> set.removeIf(s -> !s.matches("-?(0|[1-9][0-9]*)") || s.equals("-0")));
        return lists(out);
    }

    /** Wrong answers for a string answer (sorting, reversal): every kind but a sign slip. */
    static Map<Mistake, List<String>> forSequence(String answer) {
        Map<Mistake, Set<String>> out = kinds();
        out.get(Mistake.OFF_BY_ONE).addAll(offByOne(answer));
        out.get(Mistake.DROPPED).addAll(dropped(answer));
        out.get(Mistake.SWAPPED).addAll(swapped(answer));
        return lists(out);
    }

    private static final Pattern EXPRESSION_TOKEN = Pattern.compile("[0-9]+|[-+*/()]");

    /**
     * Wrong countdown expressions: edits of {@code solution} that no longer reach {@code target} with
     * {@code numbers} (checked with {@link Countdown#solves}: an edit that happens to reach it again is not
     * a wrong answer).
     */
    static Map<Mistake, List<String>> forExpression(String solution, List<Long> numbers, long target) {
        List<String> tokens = new ArrayList<>();
        Matcher m = EXPRESSION_TOKEN.matcher(solution);
        while (m.find()) {
            tokens.add(m.group());
        }
        List<Integer> operands = new ArrayList<>();
        List<Integer> operators = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (Character.isDigit(tokens.get(i).charAt(0))) {
                operands.add(i);
            } else if ("+-*/".contains(tokens.get(i))) {
                operators.add(i);
            }
        }
        Map<Mistake, Set<String>> out = kinds();
        for (int i : operands) {
            long v = Long.parseLong(tokens.get(i));
            for (long w : new long[] {v - 1, v + 1}) {
                if (w >= 0) {
                    out.get(Mistake.OFF_BY_ONE).add(replaced(tokens, i, Long.toString(w)));
                }
            }
        }
        for (int a = 0; a < operands.size(); a++) {
            for (int b = a + 1; b < operands.size(); b++) {
                int i = operands.get(a);
                int j = operands.get(b);
                if (!tokens.get(i).equals(tokens.get(j))) {
                    List<String> t = new ArrayList<>(tokens);
                    t.set(i, tokens.get(j));
                    t.set(j, tokens.get(i));
                    out.get(Mistake.SWAPPED).add(String.join("", t));
                }
            }
        }
        // the solution is built left to right, so it always ends in "op number": dropping that keeps it well formed
        int n = tokens.size();
        if (operands.size() >= 2 && operators.contains(n - 2) && operands.contains(n - 1)) {
            out.get(Mistake.DROPPED).add(String.join("", tokens.subList(0, n - 2)));
        }
        for (int i : operators) {
            String flipped = switch (tokens.get(i)) {
                case "+" -> "-";
                case "-" -> "+";
                case "*" -> "/";
                default -> "*";
            };
            out.get(Mistake.SIGN_SLIP).add(replaced(tokens, i, flipped));
        }
        out.values().forEach(set -> set.removeIf(e -> Countdown.solves(e, numbers, target)));
        return lists(out);
    }

    private static String replaced(List<String> tokens, int i, String with) {
        List<String> t = new ArrayList<>(tokens);
        t.set(i, with);
        return String.join("", t);
    }

    /** Each digit or letter replaced by its neighbours in 0-9, a-z or A-Z (no wrapping: 9 has only 8). */
    private static List<String> offByOne(String s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            for (char d : new char[] {(char) (c - 1), (char) (c + 1)}) {
                if (sameRange(c, d, '0', '9') || sameRange(c, d, 'a', 'z') || sameRange(c, d, 'A', 'Z')) {
                    out.add(s.substring(0, i) + d + s.substring(i + 1));
                }
            }
        }
        return out;
    }

    private static boolean sameRange(char c, char d, char lo, char hi) {
        return c >= lo && c <= hi && d >= lo && d <= hi;
    }

    /** Each character dropped, when one would be left. */
    private static List<String> dropped(String s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; s.length() >= 2 && i < s.length(); i++) {
            out.add(s.substring(0, i) + s.substring(i + 1));
        }
        return out;
    }

    /** Each pair of neighbouring, different characters swapped. */
    private static List<String> swapped(String s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < s.length(); i++) {
            if (s.charAt(i) != s.charAt(i + 1)) {
                out.add(s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2));
            }
        }
        return out;
    }

    private static Map<Mistake, Set<String>> kinds() {
        Map<Mistake, Set<String>> out = new EnumMap<>(Mistake.class);
        for (Mistake k : Mistake.values()) {
            out.put(k, new LinkedHashSet<>());
        }
        return out;
    }

    private static Map<Mistake, List<String>> lists(Map<Mistake, Set<String>> sets) {
        Map<Mistake, List<String>> out = new EnumMap<>(Mistake.class);
        sets.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }
}
