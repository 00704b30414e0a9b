package dev.rlx.cli;

import java.util.List;

/**
 * A command that another module adds to {@link Cli} (rlx-bench adds `bench`), so that it shares the command
 * line's error handling: usage errors, script errors and internal errors end as they do for built-in commands.
 */
@FunctionalInterface
public interface Subcommand {
    /** Runs with the arguments after the command's name (`--verbose` removed); returns the exit code. */
    int run(List<String> args);
}
