package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Labels;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inputs a decoder makes before the network exists must be the ones the built classifier makes. */
class EarlyInputsTest {
    private static final long MAX_PIXELS = ImageLoader.DEFAULT_MAX_PIXELS;
    private static final List<Path> IMAGES = List.of(Path.of("src/test/resources/images/jpeg-420.jpg"),
            Path.of("src/test/resources/images/bmp-24.bmp"), CliFixture.image(1));

    @TempDir
    Path dir;

    @Test
    void theSameInputsAsTheClassifierOfThatCfg() {
        for (Preprocessing preprocessing : List.of(Preprocessing.LETTERBOX, Preprocessing.byName("resize-min-crop"))) {
            EarlyInputs early = new EarlyInputs(CliFixture.CFG, preprocessing);
            try (Classifier classifier = Classifier.load(CliFixture.CFG, CliFixture.weights(),
                    Labels.read(CliFixture.names()), new ReferenceBackend())) {
                classifier.setPreprocessing(preprocessing);
                for (Path image : IMAGES) {
                    assertArrayEquals(classifier.input(image, MAX_PIXELS), early.apply(image, MAX_PIXELS),
                            image + ", " + preprocessing.cliName());
                }
            }
        }
    }

    @Test
    void declinesWhereTheCfgCannotSayTheSize() throws IOException {
        Path image = IMAGES.get(0);
        Path layersFirst = Files.writeString(dir.resolve("layers-first.cfg"), "[convolutional]\nfilters=4\n");
        Path notACfg = Files.writeString(dir.resolve("empty.cfg"), "");
        for (Path cfg : List.of(layersFirst, notACfg, dir.resolve("missing.cfg"))) {
            assertNull(new EarlyInputs(cfg, Preprocessing.LETTERBOX).apply(image, MAX_PIXELS), cfg.toString());
        }
    }
}
