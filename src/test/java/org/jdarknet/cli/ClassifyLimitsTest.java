package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdarknet.image.ImageLimitsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images too large to decode, and empty image arguments, are one line each and the batch goes on. */
class ClassifyLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aHugeImageAndAnEmptyArgumentAreReportedAndTheBatchGoesOn() throws IOException {
        Path huge = Files.write(dir.resolve("huge.png"), ImageLimitsTest.pngHeaderOnly(26000, 26000));
        String good1 = CliFixture.image(1).toString();
        String good2 = CliFixture.image(2).toString();
        Processes.Result result = Processes.jdarknet("classify", CliFixture.CFG.toString(), CliFixture.weights().toString(),
                "--labels", CliFixture.names().toString(), "--backend", "reference", good1, huge.toString(), "", good2);
        assertEquals(1, result.exitCode(), result.stderr());
        List<String> out = result.stdout().lines().toList();
        assertEquals(12, out.size(), result.stdout());
        assertEquals(good2 + ":", out.get(6));
        List<String> err = result.stderrLines();
        assertEquals(5, err.size(), result.stderr());
        assertTrue(err.get(4).startsWith("classified 2 images in "), err.get(4));
        assertTrue(err.get(1).startsWith("error: " + huge + ": is 26000x26000 pixels (676000000), more than the limit of"
                + " 100000000 pixels; raise it with --max-image-pixels"), err.get(1));
        assertEquals("error: an image path is empty ('')", err.get(2));
    }

    @Test
    void theLimitIsAnOption() {
        String good = CliFixture.image(1).toString();
        Processes.Result refused = Processes.jdarknet("classify", CliFixture.CFG.toString(), CliFixture.weights().toString(),
                "--labels", CliFixture.names().toString(), "--backend", "reference", "--max-image-pixels", "10", good);
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("more than the limit of 10 pixels"), refused.stderr());
        Processes.Result help = Processes.jdarknet("classify", "--help");
        assertTrue(help.stdout().contains("--max-image-pixels=N"), help.stdout());
    }
}
