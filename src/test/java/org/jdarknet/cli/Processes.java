package org.jdarknet.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs jdarknet and the C darknet as separate processes, as a user or a script would, and captures
 * what they print. jdarknet runs from the test classpath, so {@code make} need not have built the jar.
 */
public final class Processes {
    private static final Path DARKNET = Path.of("/usr/bin/darknet");

    /** Exit code and the two output streams of a finished process. */
    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    private Processes() {
    }

    /** {@code jdarknet ARGS...} with an empty stdin. */
    public static Result jdarknet(String... args) {
        return jdarknetWithInput("", args);
    }

    public static Result jdarknetWithInput(String stdin, String... args) {
        return run(jdarknetCommand(args), stdin);
    }

    /**
     * Starts {@code jdarknet ARGS...} without waiting, stdout and stderr going to the given files,
     * for tests that signal or kill it.
     */
    public static Process start(Path stdout, Path stderr, String... args) throws IOException {
        return new ProcessBuilder(jdarknetCommand(args)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    /** {@code main ARGS...} on the test classpath: for a test's own entry point around {@link Main}. */
    public static Result java(Class<?> main, String... args) {
        return run(javaCommand(main, args), "");
    }

    private static List<String> jdarknetCommand(String... args) {
        return javaCommand(Main.class, args);
    }

    private static List<String> javaCommand(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Skips the calling test, saying why, when the C darknet is not installed. */
    public static void assumeDarknet() {
        assumeTrue(Files.isExecutable(DARKNET), "the C darknet is not installed (apt-get install darknet): oracle test skipped");
    }

    public static Result darknet(String... args) {
        List<String> command = new ArrayList<>(List.of(DARKNET.toString()));
        command.addAll(List.of(args));
        return run(command, "");
    }

    private static Result run(List<String> command, String stdin) {
        try {
            Path out = Files.createTempFile("process", ".out");
            Path err = Files.createTempFile("process", ".err");
            Path in = Files.writeString(Files.createTempFile("process", ".in"), stdin);
            try {
                Process process = new ProcessBuilder(command).redirectInput(in.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(5, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out: " + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.delete(out);
                Files.delete(err);
                Files.delete(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
