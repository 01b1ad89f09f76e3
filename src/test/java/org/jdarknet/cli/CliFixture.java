package org.jdarknet.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.SmallNet;
import org.jdarknet.weights.WeightsWriter;

/**
 * Files the command-line tests share, made once per run under {@code target/}: weights for
 * {@link SmallNet}'s cfg, eight class names (one with a comma and quotes, for CSV and JSON), a
 * .data file naming them, and two small PNG images.
 */
final class CliFixture {
    static final Path CFG = SmallNet.CFG;
    static final List<String> NAMES = List.of("kit fox", "tabby, \"the\" cat", "goldfish", "tree frog",
            "daisy", "volcano", "teapot", "zebra");
    private static Path directory;

    private CliFixture() {
    }

    static Path weights() {
        return file("small.weights");
    }

    static Path names() {
        return file("names.list");
    }

    /** names= the list above, top=3. */
    static Path data() {
        return file("small.data");
    }

    static Path image(int which) {
        return file("good" + which + ".png");
    }

    static synchronized Path directory() {
        if (directory == null) {
            try {
                Files.createDirectories(Path.of("target"));
                directory = Files.createTempDirectory(Path.of("target"), "cli-test-");
                create(directory);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }

    private static Path file(String name) {
        return directory().resolve(name);
    }

    private static void create(Path dir) throws IOException {
        try (Network network = SmallNet.build()) {
            RandomWeights.fill(network, 5);
            RandomWeights.calibrateHead(network, RandomWeights.testPattern(6, 6, 3), 2.0);
            WeightsWriter.save(network, dir.resolve("small.weights"));
        }
        Files.write(dir.resolve("names.list"), NAMES);
        Files.writeString(dir.resolve("small.data"), "classes=8\nnames=" + dir.resolve("names.list") + "\ntop=3\n");
        writePng(dir.resolve("good1.png"), 40, 30, 1);
        writePng(dir.resolve("good2.png"), 25, 50, 2);
    }

    /** A smooth colour pattern that differs with {@code seed}. */
    private static void writePng(Path file, int width, int height, int seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 255 / width + seed * 60) % 256;
                int g = (y * 255 / height * seed) % 256;
                int b = ((x + y) * 40 / seed) % 256;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
