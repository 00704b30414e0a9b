package dev.rlx.cli;

import org.graalvm.polyglot.Engine;

public final class Main {
    public static void main(String[] args) {
        try (Engine e = Engine.create("rlx")) {
            System.out.println(e.getImplementationName());
        }
    }
}
