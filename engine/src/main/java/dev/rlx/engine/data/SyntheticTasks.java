package dev.rlx.engine.data;

import dev.rlx.engine.tokenizer.VocabTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Verifiable synthetic tasks with seeded, disjoint train/test splits ({@link Split}, {@link ProblemSampler}).
 * Prompts are compact so that a small character-level model can learn them:
 * <pre>
 *   addition        "12+30="      answer 42 (int)          operands uniform in [0, 10^digits)
 *   multiplication  "12*30="      answer 360 (int)
 *   countdown       "3,5,7>22="   answer 22 (the target); fields numbers [3,5,7], target 22,
 *                                 solution "3*5+7" (one expression that reaches it, using every number)
 *   sorting         "S31412="     answer "11234" (string)
 *   reversal        "R31412="     answer "21413" (string)
 * </pre>
 * Arithmetic tasks share {@link #arithTokenizer()}; sorting and reversal over one alphabet share
 * {@link #sequenceTokenizer(String)}.
 */
public final class SyntheticTasks {
    /** Every character of addition, multiplication and countdown prompts, answers and solutions. */
    public static final String ARITH_CHARS = "0123456789+-*/=(),>";
    public static final String DIGITS = "0123456789";
    public static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    private static final String SEQUENCE_MARKS = "SR=";

    private SyntheticTasks() {}

    public static VocabTokenizer arithTokenizer() {
        return VocabTokenizer.chars(ARITH_CHARS);
    }

    /** The tokenizer of sorting and reversal over {@code alphabet} (a name or the characters themselves). */
    public static VocabTokenizer sequenceTokenizer(String alphabet) {
        return VocabTokenizer.chars(SEQUENCE_MARKS + alphabetChars(alphabet));
    }

    public static Dataset addition(int digits, int count, long seed, Split split) {
        return binary("addition", '+', digits, count, seed, split);
    }

    public static Dataset multiplication(int digits, int count, long seed, Split split) {
        return binary("multiplication", '*', digits, count, seed, split);
    }

    private static Dataset binary(String task, char op, int digits, int count, long seed, Split split) {
        if (digits < 1 || digits > 9) {
            throw new DataException(task + ": digits must be between 1 and 9, not " + digits);
        }
        long bound = (long) Math.pow(10, digits);
        List<Row> rows = ProblemSampler.sample(task, count, seed, split, rng -> {
            long a = rng.between(0, bound - 1);
            long b = rng.between(0, bound - 1);
            long answer = op == '+' ? a + b : a * b;
            // commuted operands are one problem: both land on the same side of the split
            String key = Math.min(a, b) + "," + Math.max(a, b);
            return new ProblemSampler.Problem(key, new Row(a + String.valueOf(op) + b + "=", answer));
        });
        return new Dataset(task + "(digits=" + digits + ", seed=" + seed + ", " + split.label() + ")", rows,
                arithTokenizer());
    }

    /**
     * Countdown: {@code numbers} numbers in [1, maxNumber] and a target in [1, maxTarget] that some
     * expression using every number once reaches (built by combining the shuffled numbers left to right
     * with random operators, exact division only, positive intermediate results).
     */
    public static Dataset countdown(int numbers, int maxNumber, int maxTarget, int count, long seed, Split split) {
        if (numbers < 2 || numbers > 6) {
            throw new DataException("countdown: numbers must be between 2 and 6, not " + numbers);
        }
        if (maxNumber < 1 || maxNumber > 1000) {
            throw new DataException("countdown: max_number must be between 1 and 1000, not " + maxNumber);
        }
        if (maxTarget < 1) {
            throw new DataException("countdown: max_target must be at least 1, not " + maxTarget);
        }
        List<Row> rows = ProblemSampler.sample("countdown", count, seed, split,
                rng -> countdownProblem(rng, numbers, maxNumber, maxTarget));
        return new Dataset("countdown(numbers=" + numbers + ", seed=" + seed + ", " + split.label() + ")", rows,
                arithTokenizer());
    }

    private static ProblemSampler.Problem countdownProblem(SeededRandom rng, int n, int maxNumber, int maxTarget) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long[] nums = new long[n];
            for (int i = 0; i < n; i++) {
                nums[i] = rng.between(1, maxNumber);
            }
            int[] order = Shuffle.permutation(n, rng::nextInt);
            long acc = nums[order[0]];
            StringBuilder expr = new StringBuilder(Long.toString(acc));
            boolean additive = false;
            for (int k = 1; k < n; k++) {
                long x = nums[order[k]];
                char op = pickOp(rng, acc, x, (long) maxTarget * maxNumber);
                if ((op == '*' || op == '/') && additive) {
                    expr.insert(0, '(').append(')');
                }
                expr.append(op).append(x);
                additive = op == '+' || op == '-';
                acc = switch (op) {
                    case '+' -> acc + x;
                    case '-' -> acc - x;
                    case '*' -> acc * x;
                    default -> acc / x;
                };
            }
            if (acc >= 1 && acc <= maxTarget) {
                List<Long> given = Arrays.stream(nums).boxed().toList();
                String prompt = given.stream().map(String::valueOf).collect(Collectors.joining(",")) + ">" + acc + "=";
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("numbers", given);
                fields.put("target", acc);
                fields.put("solution", expr.toString());
                String key = Arrays.stream(nums).sorted().mapToObj(String::valueOf).collect(Collectors.joining(","))
                        + ">" + acc;
                return new ProblemSampler.Problem(key, new Row(prompt, acc, fields));
            }
        }
        throw new DataException("countdown: no reachable target in [1, " + maxTarget + "] with these options");
    }

    /** A random operator that keeps the running value a positive integer and below {@code cap}. */
    private static char pickOp(SeededRandom rng, long acc, long x, long cap) {
        char[] ops = {'+', '-', '*', '/'};
        for (int i = 3; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            char t = ops[i];
            ops[i] = ops[j];
            ops[j] = t;
        }
        for (char op : ops) {
            boolean ok = switch (op) {
                case '-' -> acc - x >= 1;
                case '*' -> acc * x <= cap;
                case '/' -> acc % x == 0 && x > 1;
                default -> true;
            };
            if (ok) {
                return op;
            }
        }
        return '+';
    }


    public static Dataset sorting(int length, String alphabet, int count, long seed, Split split) {
        return sequence("sorting", 'S', length, alphabet, count, seed, split);
    }

    public static Dataset reversal(int length, String alphabet, int count, long seed, Split split) {
        return sequence("reversal", 'R', length, alphabet, count, seed, split);
    }

    private static Dataset sequence(String task, char mark, int length, String alphabet, int count, long seed,
            Split split) {
        if (length < 1 || length > 64) {
            throw new DataException(task + ": length must be between 1 and 64, not " + length);
        }
        String chars = alphabetChars(alphabet);
        List<Row> rows = ProblemSampler.sample(task, count, seed, split, rng -> {
            char[] seq = new char[length];
            for (int i = 0; i < length; i++) {
                seq[i] = chars.charAt(rng.nextInt(chars.length()));
            }
            String input = new String(seq);
            char[] sorted = seq.clone();
            Arrays.sort(sorted);
            String answer = mark == 'S' ? new String(sorted) : new StringBuilder(input).reverse().toString();
            // sorting: every ordering of one multiset is one problem (its answer is the same)
            String key = mark == 'S' ? new String(sorted) : input;
            return new ProblemSampler.Problem(key, new Row(mark + input + "=", answer));
        });
        return new Dataset(task + "(length=" + length + ", " + alphabet + ", seed=" + seed + ", " + split.label()
                + ")", rows, sequenceTokenizer(alphabet));
    }

    /** "digits", "letters", or at least two distinct characters other than the markers S, R and =. */
    static String alphabetChars(String alphabet) {
        switch (alphabet) {
            case "digits":
                return DIGITS;
            case "letters":
                return LETTERS;
            default:
                break;
        }
        StringBuilder out = new StringBuilder();
        alphabet.chars().distinct().forEach(c -> out.append((char) c));
        List<Character> bad = new ArrayList<>();
        for (char c : out.toString().toCharArray()) {
            if (SEQUENCE_MARKS.indexOf(c) >= 0 || Character.isWhitespace(c) || Character.isSurrogate(c)) {
                bad.add(c);
            }
        }
        if (out.length() < 2 || !bad.isEmpty()) {
            throw new DataException("alphabet must be \"digits\", \"letters\" or at least two distinct characters "
                    + "other than S, R, = and spaces, not \"" + alphabet + "\"");
        }
        return out.toString();
    }
}
