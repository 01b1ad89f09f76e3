package org.jdarknet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images too large to decode are refused from their header; files that are not images are not read to their end. */
public class ImageLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        Path png = Files.write(dir.resolve("huge.png"), pngHeaderOnly(26000, 26000));
        ImageException e = assertThrows(ImageException.class, () -> ImageLoader.load(png));
        assertEquals(png + ": is 26000x26000 pixels (676000000), more than the limit of 100000000 pixels; raise it with"
                + " --max-image-pixels if there is memory for it (about 10314 MiB)", e.getMessage());
    }

    @Test
    void theLimitCanBeRaisedOrLowered() throws IOException {
        BufferedImage picture = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(3, 2, 0xff0000);
        Path png = dir.resolve("small.png");
        ImageIO.write(picture, "png", png.toFile());
        assertEquals(png + ": is 16x8 pixels (128), more than the limit of 127 pixels; raise it with --max-image-pixels"
                + " if there is memory for it (about 0 MiB)",
                assertThrows(ImageException.class, () -> ImageLoader.load(png, 127)).getMessage());
        FloatImage image = ImageLoader.load(png, 128);
        assertEquals(16, image.width());
        assertEquals(1f, image.data()[2 * 16 + 3], "red at (3, 2)");
    }

    @Test
    void devicesThatNeverEndAreNotImages() {
        for (String device : new String[] {"/dev/zero", "/dev/urandom"}) {
            Path path = Path.of(device);
            if (!Files.isReadable(path)) {
                System.err.println("skipped: no " + device + " here");
            }
            Assumptions.assumeTrue(Files.isReadable(path), "no " + device + " here");
            assertEquals(device + ": is not an image in a format we read (JPEG, PNG, BMP, GIF, TIFF, PNM or WebP)",
                    assertThrows(ImageException.class, () -> ImageLoader.load(path)).getMessage());
        }
    }

    @Test
    void aFileLargerThanAnyImageWithinTheLimitIsNotReadToItsEnd() throws IOException {
        byte[] header = pngHeaderOnly(4, 4);
        byte[] padded = java.util.Arrays.copyOf(header, (int) ImageLoader.maxFileBytes(10) + 1);
        Path png = Files.write(dir.resolve("padded.png"), padded);
        assertEquals(png + ": is larger than 16 MiB, more than an image within the pixel limit takes (a file that never"
                + " ends?)", assertThrows(ImageException.class, () -> ImageLoader.load(png, 10)).getMessage());
    }

    @Test
    void anEmptyPathSaysItIsEmpty() {
        assertEquals("an image path is empty ('')",
                assertThrows(ImageException.class, () -> ImageLoader.load(Path.of(""))).getMessage());
    }

    /** A PNG signature, an IHDR chunk for {@code width x height} 8-bit RGB, one tiny IDAT and IEND. */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1]);
        deflater.finish();
        byte[] compressed = new byte[64];
        chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, deflater.deflate(compressed)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
