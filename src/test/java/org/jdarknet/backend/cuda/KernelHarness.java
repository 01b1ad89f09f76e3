package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CUDA kernels compiled for the host: {@code kernels.cu} (the very {@code __global__}
 * wrappers, through {@code cuda_emulation.h}) built with g++ into {@code target/} on first use,
 * and driven by a script of buffers, launches and dumps ({@code kernel_harness.cpp} documents it).
 * g++ is always there where the project builds, so a failed build fails the test, never skips it.
 */
final class KernelHarness {
    static final Path KERNELS = Path.of("src/main/resources/org/jdarknet/backend/cuda/kernels");
    private static final Path TEST_SOURCES = Path.of("src/test/resources/org/jdarknet/backend/cuda");
    private static final Path BINARY = Path.of("target/kernel-harness/kernel_harness");

    private static Path built;

    private KernelHarness() {
    }

    /**
     * The harness binary, rebuilt when a source is newer. {@code -ffp-contract=off} keeps g++ from
     * fusing multiply-adds, as {@code -fmad=false} keeps nvcc; {@code -fno-strict-aliasing} because
     * the harness's double buffers are float buffers.
     */
    static synchronized Path binary() throws IOException, InterruptedException {
        if (built != null) {
            return built;
        }
        Path source = TEST_SOURCES.resolve("kernel_harness.cpp");
        if (!Files.exists(BINARY) || newestSource() > Files.getLastModifiedTime(BINARY).toMillis()) {
            Files.createDirectories(BINARY.getParent());
            Path temporary = BINARY.resolveSibling("kernel_harness.tmp");
            run(List.of("g++", "-std=c++17", "-O2", "-ffp-contract=off", "-fno-strict-aliasing",
                    "-I" + KERNELS, "-include", TEST_SOURCES.resolve("cuda_emulation.h").toString(),
                    source.toString(), "-o", temporary.toString()), 300);
            Files.move(temporary, BINARY, StandardCopyOption.REPLACE_EXISTING);
        }
        built = BINARY;
        return built;
    }

    private static long newestSource() throws IOException {
        try (Stream<Path> kernels = Files.list(KERNELS); Stream<Path> tests = Files.list(TEST_SOURCES)) {
            return Stream.concat(kernels, tests).mapToLong(path -> path.toFile().lastModified()).max().orElse(0);
        }
    }

    /** Runs a command to completion; a non-zero exit fails the test with the command's output. */
    static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    /** A kernel argument as the harness script spells it. */
    record Argument(String word) {
    }

    static Argument buffer(int id) {
        return new Argument("b" + id);
    }

    static final Argument NULL = new Argument("n");

    static Argument integer(int value) {
        return new Argument("i" + value);
    }

    static Argument count(long value) {
        return new Argument("l" + value);
    }

    static Argument real(float value) {
        return new Argument("f" + Integer.toHexString(Float.floatToRawIntBits(value)));
    }

    /** One harness run: buffers uploaded, kernels launched in order, chosen buffers read back. */
    static final class Script {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int buffers;
        private int dumps;

        /** A buffer holding a copy of {@code values}; returns its id. */
        int upload(float[] values) {
            int id = buffers++;
            line("buffer " + id + " " + values.length);
            ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(values);
            bytes.writeBytes(data.array());
            return id;
        }

        Script launch(String kernel, int grid, int block, Argument... arguments) {
            StringBuilder command = new StringBuilder("launch " + kernel + " " + grid + " " + block);
            for (Argument argument : arguments) {
                command.append(' ').append(argument.word());
            }
            line(command.toString());
            return this;
        }

        /** Asks for a buffer's values after the launches so far; returns the index into {@link #run}'s list. */
        int download(int id) {
            line("dump " + id);
            return dumps++;
        }

        /** Runs the script; the buffers asked for by {@link #download}, in order. */
        List<float[]> run() throws IOException, InterruptedException {
            Process process = new ProcessBuilder(binary().toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Thread writer = new Thread(() -> {
                try (var in = process.getOutputStream()) {
                    bytes.writeTo(in);
                } catch (IOException e) {
                    // the harness died early; its exit status says why
                }
            });
            writer.start();
            List<float[]> results = new ArrayList<>();
            try (InputStream out = process.getInputStream()) {
                DataInputStream data = new DataInputStream(out);
                for (int i = 0; i < dumps; i++) {
                    results.add(readDump(data));
                }
            }
            writer.join();
            assertEquals(0, process.waitFor(), "kernel_harness exit status");
            return results;
        }

        private static float[] readDump(DataInputStream data) throws IOException {
            byte[] header = data.readNBytes(4);
            assertEquals(4, header.length, "kernel_harness ended before all dumps");
            int count = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
            byte[] values = data.readNBytes(4 * count);
            float[] floats = new float[count];
            ByteBuffer.wrap(values).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
            return floats;
        }

        private void line(String text) {
            bytes.writeBytes((text + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
