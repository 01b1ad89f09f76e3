package org.jdarknet.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A dataset any classifier learns in a few dozen batches: class folders {@code red}, {@code green}
 * and {@code blue} of small noisy images dominated by that colour, for training and validation.
 */
final class TrainingFixture {
    static final Path CFG = Path.of("src/test/resources/train/colours.cfg");
    static final String[] CLASSES = {"blue", "green", "red"};

    private TrainingFixture() {
    }

    /** Creates DIR/train and DIR/valid with {@code perClass} images per class each. */
    static Path colours(Path dir, int perClass) {
        SplittableRandom random = new SplittableRandom(42);
        try {
            for (String split : new String[] {"train", "valid"}) {
                for (int c = 0; c < CLASSES.length; c++) {
                    Path folder = Files.createDirectories(dir.resolve(split).resolve(CLASSES[c]));
                    for (int i = 0; i < perClass; i++) {
                        ImageIO.write(noisy(c, random), "png", folder.resolve(i + ".png").toFile());
                    }
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 16x16, the class's channel bright (blue, green, red: channel 2, 1, 0 of RGB), the others dim. */
    private static BufferedImage noisy(int classIndex, SplittableRandom random) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        int bright = 2 - classIndex;
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int rgb = 0;
                for (int channel = 0; channel < 3; channel++) {
                    int value = channel == bright ? 150 + random.nextInt(100) : random.nextInt(110);
                    rgb |= value << (8 * (2 - channel));
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }
}
