package dev.rlx.engine.reward;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Final answers of math problems, as a rule-based verifier reads them (what {@code rw.math_match} and the
 * {@code math_equal} / {@code math_answer} builtins run).
 *
 * <p>A model's answer is the content of its last complete {@code \boxed{...}} (braces balanced), else the
 * whole text when it is one number, else the last number or fraction written in it. A reference answer is
 * taken whole (its last {@code \boxed{...}} when it has one). Both are normalized (see {@link #normalize}),
 * then compared as exact rationals when both read as numbers, else as normalized strings. Numbers are never
 * doubles: "0.1" is 1/10, so "\frac{1}{10}" and "0.10" are equal, and no rounding can make 0.3333 equal 1/3.
 */
public final class MathAnswer {
    private MathAnswer() {}

    /** An exact fraction num/den in lowest terms, den > 0. */
    public record Rational(BigInteger num, BigInteger den) {
        static Rational of(BigInteger num, BigInteger den) {
            if (den.signum() == 0) {
                return null;
            }
            if (den.signum() < 0) {
                num = num.negate();
                den = den.negate();
            }
            BigInteger g = num.gcd(den);
            return g.signum() == 0 || g.equals(BigInteger.ONE) ? new Rational(num, den)
                    : new Rational(num.divide(g), den.divide(g));
        }

        static Rational of(BigDecimal d) {
            BigInteger unscaled = d.unscaledValue();
            int scale = d.scale();
            return scale >= 0 ? of(unscaled, BigInteger.TEN.pow(scale))
                    : of(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE);
        }

        Rational negate() {
            return new Rational(num.negate(), den);
        }

        Rational plus(Rational o) {
            return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        Rational over(Rational o) {
            return of(num.multiply(o.den), den.multiply(o.num));
        }
    }

    /** Whether a model's text (its answer extracted) equals the reference answer {@code want}. */
    public static boolean equal(String got, String want) {
        String answer = extract(got);
        if (answer == null) {
            return false;
        }
        String boxed = lastBoxed(want);
        String g = normalize(answer);
        String w = normalize(boxed != null ? boxed : want);
        if (g.isEmpty() || w.isEmpty()) {
            return false;
        }
        Rational rg = toRational(g);
        Rational rw = toRational(w);
        if (rg != null && rw != null) {
            return rg.equals(rw);
        }
        return g.equals(w);
    }

    /**
     * The answer a model's text gives, as written (not normalized): the last complete {@code \boxed{...}}'s
     * content, else the whole text when it reads as one number, else the last number or fraction in it;
     * null when there is none.
     */
    public static String extract(String text) {
        String boxed = lastBoxed(text);
        if (boxed != null) {
            return boxed.strip();
        }
        if (toRational(normalize(text)) != null) {
            return text.strip();
        }
        return lastNumber(text);
    }

    // ---- \boxed{...}

    private static final Pattern BOX = Pattern.compile("\\\\(?:boxed|fbox)(?![A-Za-z])");

    /** The content of the last \boxed{...} or \fbox{...} whose braces close (or `\boxed 5`), else null. */
    static String lastBoxed(String text) {
        Matcher m = BOX.matcher(text);
        String last = null;
        while (m.find()) {
            String content = boxContent(text, m.end());
            if (content != null) {
                last = content;
            }
        }
        return last;
    }

    private static String boxContent(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '{') {
            int depth = 0;
            for (int j = i; j < text.length(); j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length()) {
                    j++; // \{ and \} are literal braces, not grouping
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return text.substring(i + 1, j);
                }
            }
            return null; // unclosed: a truncated answer
        }
        // `\boxed 5`: one token, up to a space or a closing $
        int j = i;
        while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && text.charAt(j) != '$') {
            j++;
        }
        return j > i && i > from ? text.substring(i, j) : null;
    }

    // ---- the last number

    private static final String ARG = "(?:\\{\\s*-?[0-9.,]+\\s*\\}|[0-9])";
    private static final String FRAC = "\\\\[dt]?frac\\s*" + ARG + "\\s*" + ARG;
    /** A number: a mixed number (3\frac{1}{2}), a LaTeX fraction, 1,000-style groups, a/b, a decimal. */
    private static final Pattern NUMBER = Pattern.compile(
            "(?:(?<![\\w)\\]}])-)?(?<![0-9.])(?:"
                    + "[0-9]+\\s*" + FRAC
                    + "|" + FRAC
                    + "|[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]+)?(?![0-9])"
                    + "|[0-9]+(?:\\.[0-9]+)?(?:/[0-9]+(?:\\.[0-9]+)?)?"
                    + "|\\.[0-9]+)");

    static String lastNumber(String text) {
        String t = text.replace("{,}", ",").replace("\\!", "");
        Matcher m = NUMBER.matcher(t);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last;
    }

    // ---- normalization

    private static final Pattern SPACING = Pattern.compile(
            "\\\\(?:left|right|displaystyle)(?![A-Za-z])|\\\\[!,;: ]|\\\\q?quad(?![A-Za-z])|[$~]|\\\\[()\\[\\]]");
    private static final Pattern DEGREES = Pattern.compile("\\^\\s*\\{?\\s*\\\\circ\\s*\\}?|°");
    private static final Pattern TEXT = Pattern.compile("\\\\(?:text|textrm|textbf|mathrm|mathbf|mbox)\\s*\\{([^{}]*)\\}");
    private static final Pattern TRAILING_UNIT = Pattern.compile(
            "^(.*[0-9}])\\s*\\\\(?:text|textrm|mathrm|mbox)\\s*\\{[^{}]*\\}\\s*$");
    private static final Pattern LHS = Pattern.compile("^\\s*(?:[A-Za-z]|\\\\[A-Za-z]+)(?:_\\{?[A-Za-z0-9]+\\}?)?\\s*$");
    private static final Pattern THOUSANDS = Pattern.compile("(?<![0-9.,])([0-9]{1,3})((?:,[0-9]{3})+)(?![0-9])");

    /**
     * The comparable form of an answer: {@code $ \( \) \[ \]}, {@code \left \right \displaystyle}, LaTeX
     * spacing ({@code \! \, \; \: \quad ~}) and whitespace dropped; {@code \dfrac}/{@code \tfrac} read as
     * {@code \frac}; {@code \frac12} as {@code \frac{1}{2}} and {@code \sqrt2} as {@code \sqrt{2}}; a unit in
     * {@code \text{...}} after the number dropped (other {@code \text{x}} become x); degrees and percent signs
     * dropped (50\% is 50); a leading {@code x =} dropped (one variable); thousands separators ("1,000",
     * "1{,}000") dropped; one trailing "." and a leading "+" dropped; braces around the whole dropped.
     */
    public static String normalize(String answer) {
        String s = answer.strip();
        s = SPACING.matcher(s).replaceAll(" ");
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("{,}", ",");
        s = DEGREES.matcher(s).replaceAll("");
        s = s.replace("\\%", "").replace("%", "");
        for (Matcher m = TRAILING_UNIT.matcher(s); m.matches(); m = TRAILING_UNIT.matcher(s)) {
            s = m.group(1);
        }
        s = TEXT.matcher(s).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        int eq = s.lastIndexOf('=');
        if (eq >= 0 && LHS.matcher(s.substring(0, eq)).matches()) {
            s = s.substring(eq + 1);
        }
        s = s.replaceAll("\\s+", "");
        s = s.replaceAll("\\\\frac([0-9])([0-9])", "\\\\frac{$1}{$2}")
                .replaceAll("\\\\frac([0-9])\\{", "\\\\frac{$1}{")
                .replaceAll("\\\\frac(\\{[^{}]*\\})([0-9])", "\\\\frac$1{$2}")
                .replaceAll("\\\\sqrt([0-9])", "\\\\sqrt{$1}");
        s = THOUSANDS.matcher(s).replaceAll(r -> r.group(1) + r.group(2).replace(",", ""));
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        while (s.length() >= 2 && s.charAt(0) == '{' && closingBrace(s, 0) == s.length() - 1) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static int closingBrace(String s, int open) {
        int depth = 0;
        for (int j = open; j < s.length(); j++) {
            if (s.charAt(j) == '{') {
                depth++;
            } else if (s.charAt(j) == '}' && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    // ---- numbers

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+");
    private static final Pattern SLASH = Pattern.compile("(" + DECIMAL.pattern() + ")/(" + DECIMAL.pattern() + ")");
    private static final Pattern MIXED = Pattern.compile("([0-9]+)(\\\\frac\\{[0-9]+\\}\\{[0-9]+\\})");

    /**
     * The exact value of a normalized answer that is one number: a decimal, a/b, \frac{a}{b} (its parts
     * numbers themselves), a mixed number 3\frac{1}{2} (= 7/2), each optionally signed; else null (also for
     * a zero denominator). Parentheses around the whole are dropped.
     */
    public static Rational toRational(String s) {
        if (s.isEmpty() || s.length() > 10_000) {
            return null;
        }
        char c = s.charAt(0);
        if (c == '-' || c == '+') {
            Rational r = toRational(s.substring(1));
            return r == null ? null : c == '-' ? r.negate() : r;
        }
        if (DECIMAL.matcher(s).matches()) {
            return Rational.of(new BigDecimal(s));
        }
        Matcher m = SLASH.matcher(s);
        if (m.matches()) {
            return Rational.of(new BigDecimal(m.group(1))).over(Rational.of(new BigDecimal(m.group(2))));
        }
        m = MIXED.matcher(s);
        if (m.matches()) {
            Rational frac = toRational(m.group(2));
            return frac == null ? null : Rational.of(new BigDecimal(m.group(1))).plus(frac);
        }
        if (c == '(' && s.endsWith(")")) {
            return toRational(s.substring(1, s.length() - 1)); // (3/4): "(1)(2)" stays no number, its inside is none
        }
        if (c == '{' && closingBrace(s, 0) == s.length() - 1) {
            return toRational(s.substring(1, s.length() - 1));
        }
        if (s.startsWith("\\frac{")) {
            int close = closingBrace(s, 5);
            if (close > 0 && close + 1 < s.length() && s.charAt(close + 1) == '{'
                    && closingBrace(s, close + 1) == s.length() - 1) {
                Rational a = toRational(s.substring(6, close));
                Rational b = toRational(s.substring(close + 2, s.length() - 1));
                return a == null || b == null ? null : a.over(b);
            }
        }
        return null;
    }
}
