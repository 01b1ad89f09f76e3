package org.jdarknet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jdarknet.Log;

/** Runs a jdarknet command in this JVM, quiet, capturing what it prints on stdout. */
final class InProcess {

    record Outcome(int exitCode, String stdout) {
    }

    private InProcess() {
    }

    static Outcome run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.setQuiet(true);
        try (PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(stream);
            int exitCode = Main.run(args);
            return new Outcome(exitCode, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            Log.setQuiet(false);
        }
    }
}
