package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernel sources compile for the device, the shipped PTX is what they build now, and the
 * three descriptions of the ABI (kernels.md, kernels.cu, kernels.ptx) name the same entry points
 * with the same parameters. The nvcc checks skip, saying why, where nvcc is not on the PATH.
 */
class KernelCompileTest {
    private static final Path PTX = Path.of("src/main/resources/org/jdarknet/backend/cuda/kernels.ptx");
    private static final Path OUTPUT = Path.of("target/kernel-compile");
    private static final Pattern RELEASE = Pattern.compile("release [0-9.]+, V[0-9.]+");

    @Test
    void everySourceCompilesToAnSm90Cubin() throws Exception {
        String version = nvccVersion();
        Files.createDirectories(OUTPUT);
        List<Path> sources = sources(".cu");
        assertTrue(!sources.isEmpty(), "no .cu files in " + KernelHarness.KERNELS);
        for (Path source : sources) {
            Path cubin = OUTPUT.resolve(source.getFileName() + ".cubin");
            KernelHarness.run(List.of("nvcc", "-cubin", "-arch=sm_90", "-fmad=false", "-o", cubin.toString(),
                    source.toString()), 300);
            assertTrue(Files.size(cubin) > 0, source + " (" + version + ") made an empty cubin");
        }
    }

    @Test
    void committedPtxIsWhatTheSourcesBuildNow() throws Exception {
        String version = nvccVersion();
        String committed = Files.readString(PTX);
        Matcher built = RELEASE.matcher(committed);
        assertTrue(built.find(), PTX + " names no nvcc release in its header");
        assumeTrue(version.contains(built.group()), () -> skip("the committed PTX was built by nvcc " + built.group()
                + ", this nvcc is " + version + "; their output differs, so only that release can check it"));
        Files.createDirectories(OUTPUT);
        Path fresh = OUTPUT.resolve("kernels.ptx").toAbsolutePath();
        KernelHarness.run(List.of("scripts/build-kernels.sh", fresh.toString()), 300);
        assertArrayEquals(Files.readAllBytes(PTX), Files.readAllBytes(fresh),
                PTX + " is stale: run scripts/build-kernels.sh and commit it");
    }

    @Test
    void documentationSourceAndPtxNameTheSameEntryPoints() throws IOException {
        Map<String, String> documented = matches(KernelHarness.KERNELS.resolve("kernels.md"),
                Pattern.compile("^\\| `(jd_\\w+)` \\| `([^`]*)` \\|", Pattern.MULTILINE));
        Map<String, String> defined = matches(KernelHarness.KERNELS.resolve("kernels.cu"),
                Pattern.compile("extern \"C\" __global__ void (jd_\\w+)\\(([^)]*)\\)"));
        assertEquals(defined, documented, "kernels.md's signatures against kernels.cu's");
        Set<String> shipped = new TreeSet<>(matches(PTX,
                Pattern.compile("^\\.visible \\.entry (jd_\\w+)\\(()", Pattern.MULTILINE)).keySet());
        assertEquals(new TreeSet<>(defined.keySet()), shipped, "entry points of kernels.ptx");
    }

    /** Name to parameter list (whitespace collapsed) of every match, in order. */
    private static Map<String, String> matches(Path file, Pattern pattern) throws IOException {
        Matcher matcher = pattern.matcher(Files.readString(file));
        Map<String, String> found = new LinkedHashMap<>();
        while (matcher.find()) {
            found.put(matcher.group(1), matcher.group(2).replaceAll("\\s+", " ").trim());
        }
        return found;
    }

    private static List<Path> sources(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(KernelHarness.KERNELS)) {
            return files.filter(path -> path.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        }
    }

    /** nvcc's release line; skips the calling test, saying so, where there is no nvcc. */
    private static String nvccVersion() throws InterruptedException {
        Optional<String> version;
        try {
            Process process = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes());
            Matcher release = RELEASE.matcher(text);
            version = process.waitFor() == 0 && release.find() ? Optional.of(release.group()) : Optional.empty();
        } catch (IOException e) {
            version = Optional.empty();
        }
        assumeTrue(version.isPresent(), () -> skip("nvcc is not on the PATH (or does not say its release)"));
        return version.get();
    }

    private static String skip(String reason) {
        String line = "KernelCompileTest skipped: " + reason;
        System.err.println(line);
        return line;
    }
}
