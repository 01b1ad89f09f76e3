package org.jdarknet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jdarknet.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart that cannot be written says why; drawing it later never throws. */
class TrainingChartTest {
    @TempDir
    Path dir;

    @Test
    void aChartThatCannotBeWrittenSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");
        TrainingChart chart = new TrainingChart(file.resolve("loss.png"), "test", 5);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, chart::save);
        assertEquals("cannot write the chart " + file.resolve("loss.png") + ": " + file + " is not a directory",
                e.getMessage());
        Log.setQuiet(true);
        try {
            chart.addLoss(1, 2, 2);
            chart.saveOrWarn();
        } finally {
            Log.setQuiet(false);
        }
    }

    @Test
    void saveOrWarnDrawsWhenItCan() throws IOException {
        TrainingChart chart = new TrainingChart(dir.resolve("loss.png"), "test", 5);
        chart.addLoss(1, 2, 2);
        chart.addLoss(2, 1, 1.5f);
        chart.saveOrWarn();
        assertTrue(ImageIO.read(dir.resolve("loss.png").toFile()).getWidth() > 0);
    }
}
