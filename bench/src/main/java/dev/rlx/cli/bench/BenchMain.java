package dev.rlx.cli.bench;

import dev.rlx.cli.Cli;
import dev.rlx.cli.Main;

/**
 * The launcher's entry point for `rlx bench ...`: the rlx command line with the `bench` command added. The
 * benchmarks live in their own module so that the shipped jars carry none of their code.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws InterruptedException {
        Main.exitWith(() -> new Cli(System.out, System.err).with("bench", new BenchCommand(System.out)).run(args));
    }
}
