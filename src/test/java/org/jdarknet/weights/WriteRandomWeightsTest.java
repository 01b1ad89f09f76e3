package org.jdarknet.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point scripts/demo.sh uses when no pretrained weights can be had. */
class WriteRandomWeightsTest {
    @TempDir
    Path dir;

    @Test
    void theSameSeedGivesTheSameCompleteFile() throws IOException {
        Path first = dir.resolve("a.weights");
        Path second = dir.resolve("b.weights");
        Path other = dir.resolve("c.weights");
        WriteRandomWeights.write(SmallNet.CFG, first, 2024);
        WriteRandomWeights.write(SmallNet.CFG, second, 2024);
        WriteRandomWeights.write(SmallNet.CFG, other, 2025);
        assertEquals(SmallNet.FILE_SIZE, Files.size(first));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertFalse(Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(other)));
    }
}
