package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA bindings load, and the backend reports a driver failure by name without crashing, on a
 * machine with the CUDA runtime but no GPU: a stand-in {@code libcuda.so.1} is generated from the
 * driver functions JavaCPP's {@code libjnicudart.so} links (each returns
 * {@code CUDA_ERROR_NO_DEVICE}), and a child JVM (a JVM cannot change its own library path) runs
 * {@link StandInProbe} against it. Skips, saying why, without the runtime, gcc or nm.
 */
class StandInDriverTest {
    /** {@code CUDA_ERROR_NO_DEVICE}: what every stand-in driver function returns. */
    private static final int NO_DEVICE = 100;
    private static final String JNI_GLUE = "org/bytedeco/cuda/linux-x86_64/libjnicudart.so";

    @TempDir
    Path dir;

    @Test
    void theBindingsLoadAndTheDriverFailureIsNamed() throws Exception {
        Optional<Path> runtime = cudaRuntimeDirectory();
        assume(runtime.isPresent(), "no libcudart.so.13 on this machine (set CUDA_HOME or install the CUDA runtime)");
        assume(onPath("gcc") && onPath("nm"), "gcc and nm are needed to build the stand-in driver");
        Path driver = buildStandInDriver();
        List<String> lines = probe(driver.getParent() + ":" + runtime.get());
        System.err.println("StandInDriverTest: " + String.join(" | ", lines));
        String reason = line(lines, "reason: ");
        assertTrue(reason.startsWith("no usable GPU: cudaGetDeviceCount failed with cudaError"), reason);
        assertEquals("the cuda backend cannot run here: " + reason, line(lines, "backend: "));
        String nccl = line(lines, "nccl: ");
        assertTrue(nccl.equals(reason) || nccl.startsWith("no usable GPU: the CUDA library libnccl.so"), nccl);
        String nvrtc = line(lines, "nvrtc: ");
        assertTrue(nvrtc.startsWith("absent: no usable GPU: the CUDA library libnvrtc.so")
                || nvrtc.startsWith("compiled kernels.cu") || nvrtc.startsWith("failed to compile kernels.cu"), nvrtc);
        if (!nvrtc.startsWith("compiled")) {
            System.err.println("StandInDriverTest: NVRTC did not compile the kernels here: " + nvrtc);
        }
    }

    /** One exported function per driver entry point the JNI glue links, each failing with "no device". */
    private Path buildStandInDriver() throws IOException, InterruptedException {
        Path glue = dir.resolve("libjnicudart.so");
        try (InputStream in = StandInDriverTest.class.getClassLoader().getResourceAsStream(JNI_GLUE)) {
            assume(in != null, JNI_GLUE + " is not on the classpath (the cuda linux-x86_64 jar is missing)");
            Files.copy(in, glue);
        }
        List<String> functions = run(List.of("nm", "-D", "--undefined-only", glue.toString()), null).stream()
                .map(line -> line.strip().replaceFirst("^U\\s+", ""))
                .filter(symbol -> symbol.matches("cu[A-Z]\\w*"))
                .toList();
        assertTrue(functions.contains("cuLaunchKernel") && functions.contains("cuModuleLoadData"), "driver symbols found: " + functions.size());
        StringBuilder source = new StringBuilder();
        for (String function : functions) {
            source.append("int ").append(function).append("(void) { return ").append(NO_DEVICE).append("; }\n");
        }
        Path c = Files.writeString(dir.resolve("libcuda.c"), source);
        Path driverDir = Files.createDirectories(dir.resolve("driver"));
        Path driver = driverDir.resolve("libcuda.so.1");
        run(List.of("gcc", "-shared", "-fPIC", "-Wl,-soname,libcuda.so.1", "-o", driver.toString(), c.toString()), null);
        return driver;
    }

    private List<String> probe(String libraryPath) throws IOException, InterruptedException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.bytedeco.javacpp.cachedir=" + dir.resolve("javacpp-cache"),
                "-cp", System.getProperty("java.class.path"), StandInProbe.class.getName());
        return run(command, libraryPath);
    }

    private List<String> run(List<String> command, String libraryPath) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (libraryPath != null) {
            builder.environment().put("LD_LIBRARY_PATH", libraryPath);
        }
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "timed out: " + command);
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " printed:\n" + text);
        return text.lines().toList();
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + lines));
    }

    private static Optional<Path> cudaRuntimeDirectory() {
        List<String> candidates = new ArrayList<>();
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) {
            candidates.add(cudaHome + "/lib64");
        }
        String libraryPath = System.getenv("LD_LIBRARY_PATH");
        if (libraryPath != null) {
            candidates.addAll(List.of(libraryPath.split(":")));
        }
        candidates.addAll(List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/lib/x86_64-linux-gnu"));
        return candidates.stream().filter(d -> !d.isEmpty()).map(Path::of)
                .filter(d -> Files.exists(d.resolve("libcudart.so.13"))).findFirst();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
    }

    private static void assume(boolean condition, String reason) {
        if (!condition) {
            System.err.println("StandInDriverTest skipped: " + reason);
        }
        assumeTrue(condition, reason);
    }
}
