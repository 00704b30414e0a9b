package dev.rlx.interpreter.diag;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** "Did you mean ...?" by edit distance (with transpositions), for unknown names, fields and keys. */
public final class Suggest {
    private Suggest() {}

    /** Up to three candidates close to {@code name}, closest first. */
    @TruffleBoundary
    public static List<String> closest(String name, Collection<String> candidates) {
        record Scored(String name, int distance) {}
        List<Scored> scored = new ArrayList<>();
        if (name.length() < 2) {
            return List.of(); // every short name is "close" to a one-letter typo; suggestions would be noise
        }
        int limit = name.length() <= 4 ? 1 : name.length() <= 8 ? 2 : 3;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(), c.toLowerCase());
            if (d <= limit || c.startsWith(name) && name.length() >= 3) {
                scored.add(new Scored(c, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        return scored.stream().limit(3).map(Scored::name).distinct().toList();
    }

    /** `did you mean 'foo'?` or `did you mean 'foo', 'fob' or 'for'?`; null when nothing is close. */
    @TruffleBoundary
    public static String hint(String name, Collection<String> candidates) {
        List<String> c = closest(name, candidates);
        if (c.isEmpty()) {
            return null;
        }
        List<String> quoted = c.stream().map(s -> "'" + s + "'").toList();
        String list = quoted.size() == 1 ? quoted.get(0)
                : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
        return "did you mean " + list + "?";
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
