package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaAvailability#driverAbsence} is the quick look that lets {@code auto} skip binding CUDA:
 * it must not load JavaCPP's CUDA bindings itself, which only the full probe does. Checked in a
 * child JVM (this one may have bound CUDA already) from its class-loading log.
 */
class DriverAbsenceTest {
    private static final String BINDING = "org.bytedeco.cuda.global.cudart ";

    @Test
    void theQuickDriverCheckLoadsNoCudaBindingButTheProbeDoes() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"),
                DriverAbsenceProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the probe did not finish");
        assertEquals(0, process.exitValue(), output);
        List<String> lines = output.lines().toList();
        int marker = lines.indexOf(DriverAbsenceProbe.MARKER);
        assertTrue(marker > 0, output);
        assertFalse(lines.subList(0, marker).stream().anyMatch(line -> line.contains(BINDING)),
                "the driver check loaded the CUDA binding");
        assertTrue(lines.subList(marker, lines.size()).stream().anyMatch(line -> line.contains(BINDING)),
                "the full probe is expected to load the CUDA binding");
    }
}
