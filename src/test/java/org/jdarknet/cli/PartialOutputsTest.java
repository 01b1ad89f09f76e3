package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdarknet.weights.SmallNet;
import org.jdarknet.weights.WeightsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code partial}'s OUT as a symbolic link: written through, the link kept. */
class PartialOutputsTest {
    @TempDir
    Path dir;

    @Test
    void anOutputThatIsALinkIsWrittenThroughItsTarget() throws IOException {
        Path input = SmallNet.append(WeightsFile.header64(0, 2, 0, 7), SmallNet.random(3)).write(dir.resolve("in.weights"));
        Path models = Files.createDirectory(dir.resolve("models"));
        Path target = Files.writeString(models.resolve("backbone.weights"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("out.weights"), target);
        Processes.Result result = Processes.jdarknet("partial", SmallNet.CFG.toString(), input.toString(), link.toString(), "100");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(Files.isSymbolicLink(link));
        byte[] expected = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), SmallNet.random(3)).toBytes();
        assertArrayEquals(expected, Files.readAllBytes(target));
    }
}
