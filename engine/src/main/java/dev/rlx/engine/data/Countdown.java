package dev.rlx.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The countdown verifier: evaluates an arithmetic expression a model wrote (non-negative integer literals,
 * {@code + - * /}, parentheses, spaces) exactly, over fractions, and checks that every literal is one of the
 * given numbers, each used at most once (a number given twice may be used twice). Unary minus, decimals,
 * division by zero and results that overflow 64-bit fractions make the expression invalid.
 */
public final class Countdown {
    private static final int MAX_DEPTH = 64;

    private Countdown() {}

    /** An exact value num/den in lowest terms, den > 0. */
    public record Fraction(long num, long den) {
        static Fraction of(long num, long den) {
            if (den == 0) {
                throw new ArithmeticException("division by zero");
            }
            if (den < 0) {
                num = Math.negateExact(num);
                den = Math.negateExact(den);
            }
            long g = gcd(Math.abs(num), den);
            return new Fraction(num / g, den / g);
        }

        Fraction plus(Fraction o) {
            return of(Math.addExact(Math.multiplyExact(num, o.den), Math.multiplyExact(o.num, den)),
                    Math.multiplyExact(den, o.den));
        }

        Fraction minus(Fraction o) {
            return plus(new Fraction(Math.negateExact(o.num), o.den));
        }

        Fraction times(Fraction o) {
            return of(Math.multiplyExact(num, o.num), Math.multiplyExact(den, o.den));
        }

        Fraction over(Fraction o) {
            return of(Math.multiplyExact(num, o.den), Math.multiplyExact(den, o.num));
        }

        public boolean isInteger() {
            return den == 1;
        }

        /** A Long when whole, else a Double. */
        public Object toNumber() {
            return den == 1 ? (Object) num : (Object) ((double) num / den);
        }

        private static long gcd(long a, long b) {
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a == 0 ? 1 : a;
        }
    }

    /** The exact value of {@code expr}, or null when it is malformed or breaks the rules above. */
    public static Fraction evaluate(String expr, List<Long> numbers) {
        Parser p = new Parser(expr, new ArrayList<>(numbers));
        try {
            p.skipSpaces();
            if (p.atEnd()) {
                return null;
            }
            Fraction v = p.sum(0);
            p.skipSpaces();
            return p.atEnd() ? v : null;
        } catch (Invalid | ArithmeticException e) {
            return null;
        }
    }

    /** True when {@code expr} is valid and equals {@code target} exactly. */
    public static boolean solves(String expr, List<Long> numbers, long target) {
        Fraction v = evaluate(expr, numbers);
        return v != null && v.isInteger() && v.num() == target;
    }

    private static final class Invalid extends RuntimeException {
        Invalid() {
            super(null, null, false, false);
        }
    }

    /** Recursive descent: sum = product (('+'|'-') product)*; product = atom (('*'|'/') atom)*. */
    private static final class Parser {
        private final String s;
        private final List<Long> unused;
        private int pos;

        Parser(String s, List<Long> unused) {
            this.s = s;
            this.unused = unused;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            skipSpaces();
            return atEnd() ? '\0' : s.charAt(pos);
        }

        Fraction sum(int depth) {
            Fraction v = product(depth);
            while (true) {
                char c = peek();
                if (c == '+' || c == '-') {
                    pos++;
                    Fraction r = product(depth);
                    v = c == '+' ? v.plus(r) : v.minus(r);
                } else {
                    return v;
                }
            }
        }

        Fraction product(int depth) {
            Fraction v = atom(depth);
            while (true) {
                char c = peek();
                if (c == '*' || c == '/') {
                    pos++;
                    Fraction r = atom(depth);
                    v = c == '*' ? v.times(r) : v.over(r);
                } else {
                    return v;
                }
            }
        }

        Fraction atom(int depth) {
            char c = peek();
            if (c == '(') {
                if (depth >= MAX_DEPTH) {
                    throw new Invalid();
                }
                pos++;
                Fraction v = sum(depth + 1);
                if (peek() != ')') {
                    throw new Invalid();
                }
                pos++;
                return v;
            }
            if (c < '0' || c > '9') {
                throw new Invalid();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos - start > 18) {
                throw new Invalid();
            }
            long n = Long.parseLong(s, start, pos, 10);
            // each given number may be used once: remove the first equal one still unused
            if (!unused.remove(Long.valueOf(n))) {
                throw new Invalid();
            }
            return new Fraction(n, 1);
        }
    }
}
