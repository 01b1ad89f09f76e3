package org.jdarknet.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C darknet as an oracle: Debian's {@code darknet} binary and {@code libdarknet.so}, driven
 * by our harness {@code scripts/oracle/darknet-layers.c}. Tests that need it skip, with the reason
 * printed, where it is not installed; CI installs it, so there they run.
 */
public final class Darknet {
    static final Path BINARY = Path.of("/usr/bin/darknet");
    static final Path LIBRARY_DIR = Path.of("/usr/lib/darknet");
    private static final Path ORACLE_SOURCES = Path.of("scripts/oracle");
    private static final Path ORACLE_BINARIES = Path.of("target/oracle");

    private Darknet() {
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.exists(LIBRARY_DIR.resolve("libdarknet.so"))
                && Files.exists(LIBRARY_DIR.resolve("include/darknet.h"));
    }

    /** Skips the calling test, saying why, when darknet is not installed. */
    public static void assumeInstalled() {
        assumeTrue(installed(), "the C darknet is not installed (apt-get install darknet): oracle test skipped");
    }

    /** Runs {@code darknet ARGS...} in {@code workingDirectory} and returns its stdout. */
    static String run(Path workingDirectory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        return execute(command, workingDirectory);
    }

    /**
     * Runs one image through libdarknet as {@code darknet classify} does and writes every layer's
     * output to {@code outputDirectory} (see the harness source for the format).
     */
    public static void dumpLayers(Path cfg, Path weights, Path image, Path outputDirectory) throws IOException, InterruptedException {
        Files.createDirectories(outputDirectory);
        execute(List.of(harness("darknet-layers").toString(), cfg.toString(), weights.toString(), image.toString(),
                outputDirectory.toString()), Path.of("."));
    }

    /**
     * One darknet training step ({@code train_network}: forward, backward, update) on the given
     * batch; writes the updated weights and returns the loss darknet reports (per image).
     */
    static float trainStep(Path cfg, Path weights, Path images, Path truth, Path updated) throws IOException, InterruptedException {
        String stdout = execute(List.of(harness("darknet-train-step").toString(), cfg.toString(), weights.toString(),
                images.toString(), truth.toString(), updated.toString()), Path.of("."));
        return Float.parseFloat(stdout.strip());
    }

    /**
     * Darknet's learning rate ({@code get_current_rate}) for {@code cfg} at each batch number, in
     * order, rand() seeded with {@code seed} after the cfg is parsed: one "BATCH RATE-BITS" line each.
     */
    static List<String> learningRates(Path cfg, int seed, List<Long> batches) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(harness("darknet-rates").toString(), cfg.toString(),
                Integer.toString(seed)));
        batches.forEach(batch -> command.add(Long.toString(batch)));
        return execute(command, Path.of(".")).lines().toList();
    }

    /** Builds one of our C harnesses in scripts/oracle against libdarknet, once per change of its source. */
    private static synchronized Path harness(String name) throws IOException, InterruptedException {
        Path source = ORACLE_SOURCES.resolve(name + ".c");
        Path binary = ORACLE_BINARIES.resolve(name);
        if (!Files.isExecutable(binary) || Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Files.createDirectories(ORACLE_BINARIES);
            execute(List.of("gcc", "-O2", "-I" + LIBRARY_DIR.resolve("include"), source.toString(),
                    "-L" + LIBRARY_DIR, "-ldarknet", "-Wl,-rpath," + LIBRARY_DIR, "-o", binary.toString()), Path.of("."));
        }
        return binary;
    }

    private static String execute(List<String> command, Path workingDirectory) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("darknet", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            byte[] stdout = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + Files.readString(stderr));
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
