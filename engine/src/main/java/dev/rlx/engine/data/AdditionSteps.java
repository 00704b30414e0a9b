package dev.rlx.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Additions worked column by column, the multi-step task of Step-DPO's pairs ({@link StepPreferences}). The
 * solution of "a+b=" adds the columns from the units up, one step each, and then writes the answer:
 * <pre>
 *   47+38=  ->  "7+8+0=15," "4+3+1=8," "85"        (solution "7+8+0=15,4+3+1=8,85")
 * </pre>
 * A column step is "x+y+c=s," with the column's digits x and y (0 past a shorter operand), the carry c coming
 * in (0 or 1, written even when 0, so every column looks alike) and the column sum s; the last step is the sum
 * as an int. Column steps end with the separator, so a prompt made of the problem and the steps so far is a
 * prefix of the whole solution, and the step after it continues it as the policy would.
 */
final class AdditionSteps {
    private static final Pattern PROBLEM = Pattern.compile("([0-9]{1,18})\\+([0-9]{1,18})=");

    /** The two operands of an addition problem. */
    record Problem(long a, long b) {}

    private AdditionSteps() {}

    /** The operands of {@code row} when it is an addition "a+b=" whose answer is a + b (an int), else null. */
    static Problem parse(Row row) {
        Matcher m = PROBLEM.matcher(row.prompt());
        if (!m.matches() || !(row.answer() instanceof Long answer)) {
            return null;
        }
        long a = Long.parseLong(m.group(1));
        long b = Long.parseLong(m.group(2));
        return a + b == answer && a + b >= 0 ? new Problem(a, b) : null;
    }

    /** The steps of the worked solution, in order: one per column of the longer operand, then the answer. */
    static List<String> steps(Problem p) {
        List<String> out = new ArrayList<>();
        long a = p.a();
        long b = p.b();
        int carry = 0;
        do {
            int x = (int) (a % 10);
            int y = (int) (b % 10);
            out.add(column(x, y, carry, x + y + carry));
            carry = (x + y + carry) / 10;
            a /= 10;
            b /= 10;
        } while (a > 0 || b > 0);
        out.add(Long.toString(p.a() + p.b()));
        return out;
    }

    private static String column(int x, int y, int carry, int sum) {
        return x + "+" + y + "+" + carry + "=" + sum + ",";
    }

    /**
     * The plausible wrong versions of step {@code k} of {@link #steps}, by the label of the slip, each list in a
     * fixed order. A column step has "carry" (the carry coming in flipped, as a learner who forgot it or
     * invented one writes it, with the sum that follows from it) and "off_by_one" (the right carry, the sum one
     * off); the answer step has the slips of {@link WrongAnswers#forNumber} but the sign slip (an addition of
     * naturals has no sign to slip).
     */
    static Map<String, List<String>> wrongSteps(Problem p, int k) {
        List<String> steps = steps(p);
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (k == steps.size() - 1) {
            WrongAnswers.forNumber(p.a() + p.b()).forEach((kind, answers) -> {
                if (kind != WrongAnswers.Mistake.SIGN_SLIP) {
                    out.put(kind.label, answers);
                }
            });
            return out;
        }
        long scale = (long) Math.pow(10, k);
        int x = (int) (p.a() / scale % 10);
        int y = (int) (p.b() / scale % 10);
        // the carry into column k is what the lower columns of a and b overflow into it
        int carry = (int) ((p.a() % scale + p.b() % scale) / scale);
        out.put("carry", List.of(column(x, y, 1 - carry, x + y + 1 - carry)));
        int sum = x + y + carry;
        List<String> off = new ArrayList<>();
        if (sum > 0) off.add(column(x, y, carry, sum - 1));
        off.add(column(x, y, carry, sum + 1));
        out.put("off_by_one", off);
        return out;
    }
}
