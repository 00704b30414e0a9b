package dev.rlx.cli;

import dev.rlx.interpreter.api.RlxError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Takes options out of a command's argument list; what remains are its positional arguments. */
public final class CommandArgs {
    private CommandArgs() {}

    /** Removes `name value` from args and returns value, or {@code otherwise} when the option is absent. */
    public static String stringOption(List<String> args, String name, String otherwise) {
        int i = args.indexOf(name);
        if (i < 0) {
            return otherwise;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i);
        args.remove(i);
        return v;
    }

    /** Removes `name N` from args and returns N, or {@code otherwise} when the option is absent. */
    public static long longOption(List<String> args, String name, long otherwise) {
        int i = args.indexOf(name);
        if (i < 0) {
            return otherwise;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a number");
        }
        try {
            long v = Long.parseLong(args.get(i + 1));
            args.remove(i);
            args.remove(i);
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, got '" + args.get(i + 1) + "'");
        }
    }

    /** Removes `--set name=value` (or `--set=name=value`) pairs from args, in order. */
    public static Map<String, String> takeOverrides(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            String pair;
            if (a.equals("--set")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--set needs name=value");
                }
                pair = args.get(i + 1);
                args.remove(i);
                args.remove(i);
            } else if (a.startsWith("--set=")) {
                pair = a.substring(6);
                args.remove(i);
            } else {
                i++;
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set needs name=value, got '" + pair + "'");
            }
            String name = pair.substring(0, eq).strip();
            if (out.containsKey(name)) {
                throw new UsageException("--set " + name + " given twice");
            }
            out.put(name, pair.substring(eq + 1));
        }
        return out;
    }

    /** The path of a file that must exist; a missing one is a script-level error, as for a bad script. */
    public static Path existingFile(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new RlxError("error: no such file: " + file, null);
        }
        return path;
    }

    /** The path of a run folder that must exist. */
    public static Path existingRunFolder(String folder) {
        Path path = Path.of(folder);
        if (!Files.isDirectory(path)) {
            throw new RlxError("error: no such run folder: " + folder, null);
        }
        return path;
    }
}
