package org.jdarknet.image;

import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation that OpenCV 4.6's imread applies in colour mode (loadsave.cpp,
 * ApplyExifOrientation): read from a JPEG's first APP1 segment, a PNG's eXIf chunk or a TIFF's
 * first directory; other formats are never turned. Values 2 to 8 flip and
 * transpose as the EXIF standard says; anything else leaves the image as stored.
 */
final class ExifOrientation {

    private static final int TAG_ORIENTATION = 0x0112;
    /** "Exif\0\0" before the TIFF header; OpenCV skips these 6 bytes without checking them. */
    private static final int EXIF_PREFIX = 6;

    private ExifOrientation() {
    }

    /** The orientation (1 to 8) the file asks for, 1 when it asks for none OpenCV would see. */
    static int of(byte[] file) {
        return switch (FileType.of(file)) {
            case JPEG -> fromJpeg(file);
            case PNG -> fromPng(file);
            case TIFF -> fromTiff(file, 0, file.length);
            case WEBP, OTHER -> 1; // OpenCV 4.6 reads no orientation from WebP, BMP, PNM
        };
    }

    /** The image as it should be seen; the same image when it needs no turning. */
    static FloatImage apply(FloatImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        boolean transpose = orientation >= 5;
        int w = image.width();
        int h = image.height();
        FloatImage turned = transpose ? FloatImage.filled(h, w, image.channels(), 0)
                : FloatImage.filled(w, h, image.channels(), 0);
        for (int k = 0; k < image.channels(); k++) {
            for (int y = 0; y < turned.height(); y++) {
                for (int x = 0; x < turned.width(); x++) {
                    turned.set(x, y, k, image.get(sourceX(orientation, x, y, w), sourceY(orientation, x, y, h), k));
                }
            }
        }
        return turned;
    }

    /** Where output pixel (x, y) comes from, for a source w pixels wide. */
    private static int sourceX(int orientation, int x, int y, int w) {
        return switch (orientation) {
            case 2, 3 -> w - 1 - x;   // flip horizontally; rotate 180
            case 4 -> x;              // flip vertically
            case 5, 6 -> y;           // transpose; transpose + flip horizontally (90 clockwise)
            default -> w - 1 - y;     // 7: transpose + rotate 180; 8: transpose + flip vertically
        };
    }

    /** Where output pixel (x, y) comes from, for a source h pixels high. */
    private static int sourceY(int orientation, int x, int y, int h) {
        return switch (orientation) {
            case 2 -> y;
            case 3, 4 -> h - 1 - y;
            case 5, 8 -> x;
            default -> h - 1 - x;     // 6, 7
        };
    }

    /** OpenCV parses the first APP1 segment, whatever it holds (a leading XMP one hides EXIF). */
    private static int fromJpeg(byte[] file) {
        JpegHeader header = JpegHeader.parse(file);
        if (header.app1Offset() < 0 || header.app1Length() <= EXIF_PREFIX) {
            return 1;
        }
        return fromTiff(file, header.app1Offset() + EXIF_PREFIX, header.app1Length() - EXIF_PREFIX);
    }

    /** The first eXIf chunk; OpenCV honours it after the pixel data too. */
    private static int fromPng(byte[] file) {
        int at = 8;
        while (at + 8 <= file.length) {
            int length = u32(file, at, true);
            String type = new String(file, at + 4, 4, StandardCharsets.US_ASCII);
            int data = at + 8;
            if (type.equals("IEND") || length < 0 || data + length > file.length) {
                return 1;
            }
            if (type.equals("eXIf")) {
                return fromTiff(file, data, length);
            }
            at = data + length + 4; // skip the CRC
        }
        return 1;
    }

    /**
     * OpenCV's ExifReader: a TIFF header, the first directory only, and the Orientation entry's
     * value read as a SHORT. Anything out of bounds means no orientation.
     */
    private static int fromTiff(byte[] bytes, int start, int length) {
        if (!FileType.isTiff(bytes, start) || length < 8) {
            return 1;
        }
        boolean bigEndian = bytes[start] == 'M';
        int end = start + Math.min(length, bytes.length - start);
        long directory = start + (u32(bytes, start + 4, bigEndian) & 0xffffffffL);
        if (directory + 2 > end) {
            return 1;
        }
        int entries = u16(bytes, (int) directory, bigEndian);
        for (int i = 0; i < entries; i++) {
            long entry = directory + 2 + 12L * i;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(bytes, (int) entry, bigEndian) == TAG_ORIENTATION) {
                return u16(bytes, (int) entry + 8, bigEndian);
            }
        }
        return 1;
    }

    private static int u16(byte[] bytes, int at, boolean bigEndian) {
        int a = bytes[at] & 0xff;
        int b = bytes[at + 1] & 0xff;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    private static int u32(byte[] bytes, int at, boolean bigEndian) {
        int high = u16(bytes, at, bigEndian);
        int low = u16(bytes, at + 2, bigEndian);
        return bigEndian ? (high << 16) | low : (low << 16) | high;
    }
}
