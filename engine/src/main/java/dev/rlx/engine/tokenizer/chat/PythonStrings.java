package dev.rlx.engine.tokenizer.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python's string methods, which Hugging Face templates call ({@code content.strip()},
 * {@code content.startswith('<tool_response>')}, {@code .split('</think>')}) and Jinjava does not have (it
 * looks methods up on java.lang.String, where {@code split} is a regex split and {@code startswith} is missing).
 * Only method calls on strings are resolved here; everything else falls through to Jinjava's resolvers.
 */
final class PythonStrings extends ELResolver {
    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (!(base instanceof String s) || !(method instanceof String name)) {
            return null;
        }
        Object[] p = params == null ? new Object[0] : params;
        Object result = call(s, name, p);
        if (result != NONE) {
            context.setPropertyResolved(true);
        }
        return result == NONE ? null : result;
    }

    private static final Object NONE = new Object();

    private static Object call(String s, String name, Object[] p) {
        return switch (name) {
            case "startswith" -> p.length == 1 ? anyMatch(p[0], s::startsWith) : NONE;
            case "endswith" -> p.length == 1 ? anyMatch(p[0], s::endsWith) : NONE;
            case "strip" -> p.length == 0 ? s.strip() : p.length == 1 ? rstrip(lstrip(s, chars(p[0])), chars(p[0])) : NONE;
            case "lstrip" -> p.length == 0 ? s.stripLeading() : p.length == 1 ? lstrip(s, chars(p[0])) : NONE;
            case "rstrip" -> p.length == 0 ? s.stripTrailing() : p.length == 1 ? rstrip(s, chars(p[0])) : NONE;
            case "lower" -> p.length == 0 ? s.toLowerCase(Locale.ROOT) : NONE;
            case "upper" -> p.length == 0 ? s.toUpperCase(Locale.ROOT) : NONE;
            case "title" -> p.length == 0 ? title(s) : NONE;
            case "capitalize" -> p.length == 0 ? (s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT)) : NONE;
            case "split" -> p.length == 0 || p[0] == null ? whitespaceSplit(s) : p.length == 1 ? split(s, str(p[0])) : NONE;
            case "replace" -> p.length == 2 ? s.replace(str(p[0]), str(p[1])) : NONE;
            case "find" -> p.length == 1 ? (long) s.indexOf(str(p[0])) : NONE;
            case "count" -> p.length == 1 ? count(s, str(p[0])) : NONE;
            default -> NONE;
        };
    }

    private static String str(Object o) {
        return String.valueOf(o);
    }

    /** Python's startswith/endswith take a string or a tuple (a list here) of them. */
    private static boolean anyMatch(Object arg, java.util.function.Predicate<String> test) {
        if (arg instanceof Iterable<?> it) {
            for (Iterator<?> i = it.iterator(); i.hasNext(); ) {
                if (test.test(str(i.next()))) {
                    return true;
                }
            }
            return false;
        }
        return test.test(str(arg));
    }

    private static String chars(Object o) {
        return o == null ? null : str(o);
    }

    private static String lstrip(String s, String chars) {
        if (chars == null) {
            return s.stripLeading();
        }
        int i = 0;
        while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstrip(String s, String chars) {
        if (chars == null) {
            return s.stripTrailing();
        }
        int j = s.length();
        while (j > 0 && chars.indexOf(s.charAt(j - 1)) >= 0) {
            j--;
        }
        return s.substring(0, j);
    }

    /** str.split(sep): literal separator, empty pieces kept (Java's split is a regex and drops trailing ones). */
    private static List<Object> split(String s, String sep) {
        List<Object> out = new ArrayList<>();
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<Object> whitespaceSplit(String s) {
        String t = s.strip();
        return t.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList((Object[]) t.split("\\s+")));
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            b.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return b.toString();
    }

    // ---- not a property resolver: nothing else is resolved here

    @Override public Object getValue(ELContext context, Object base, Object property) { return null; }
    @Override public Class<?> getType(ELContext context, Object base, Object property) { return null; }
    @Override public void setValue(ELContext context, Object base, Object property, Object value) { }
    @Override public boolean isReadOnly(ELContext context, Object base, Object property) { return true; }
    @Override public Iterator<java.beans.FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) { return null; }
    @Override public Class<?> getCommonPropertyType(ELContext context, Object base) { return null; }
}
