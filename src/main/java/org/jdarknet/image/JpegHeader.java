package org.jdarknet.image;

/**
 * What libjpeg reads from a JPEG's markers before the pixels and uses to choose a colour space
 * (and what OpenCV reads for the EXIF orientation): the JFIF and Adobe markers, the component
 * ids of the frame header and the first APP1 segment.
 *
 * @param components   number of components in the frame header, 0 if none was found
 * @param componentIds their ids, in frame order
 * @param jfif         whether a JFIF APP0 marker was seen
 * @param adobeTransform the Adobe APP14 marker's transform flag, -1 without one
 * @param app1Offset   offset of the first APP1 segment's data in the file, -1 without one
 * @param app1Length   length of that data
 */
record JpegHeader(int components, int[] componentIds, boolean jfif, int adobeTransform, int app1Offset,
        int app1Length) {

    /** The colour spaces libjpeg knows the stored components by. */
    enum ColorSpace { GREY, RGB, YCBCR, CMYK, YCCK, UNKNOWN }

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP0 = 0xE0;
    private static final int APP1 = 0xE1;
    private static final int APP14 = 0xEE;

    /**
     * Reads the segments up to the first scan. A malformed or cut-off header just ends the
     * parse: the decoder reports such files itself.
     */
    static JpegHeader parse(byte[] file) {
        Builder header = new Builder();
        int at = 2;
        while (at + 4 <= file.length && (file[at] & 0xff) == 0xFF) {
            int marker = file[at + 1] & 0xff;
            if (marker == 0xFF) { // fill byte before a marker
                at++;
                continue;
            }
            if (marker == SOS || marker == EOI) {
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // TEM, RSTn: no length
                at += 2;
                continue;
            }
            int length = u16(file, at + 2);
            int data = at + 4;
            int end = Math.min(file.length, at + 2 + length);
            if (length < 2) {
                break;
            }
            header.segment(marker, file, data, end);
            at += 2 + length;
        }
        return header.build();
    }

    /**
     * libjpeg's guess (jdapimin.c, default_decompress_parms) of how the components are stored:
     * JFIF means YCbCr; else the Adobe marker's transform decides; else component ids 'R','G','B'
     * mean RGB, anything else YCbCr. Four components are CMYK unless Adobe says transformed.
     */
    ColorSpace colorSpace() {
        return switch (components) {
            case 1 -> ColorSpace.GREY;
            case 3 -> {
                if (jfif) {
                    yield ColorSpace.YCBCR;
                }
                if (adobeTransform >= 0) {
                    yield adobeTransform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
                }
                boolean rgbIds = componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B';
                yield rgbIds ? ColorSpace.RGB : ColorSpace.YCBCR;
            }
            case 4 -> adobeTransform < 0 || adobeTransform == 0 ? ColorSpace.CMYK : ColorSpace.YCCK;
            default -> ColorSpace.UNKNOWN;
        };
    }

    private static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    private static boolean startsWith(byte[] bytes, int at, int end, String prefix) {
        if (end - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[at + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static final class Builder {
        private int components;
        private int[] componentIds = new int[0];
        private boolean jfif;
        private int adobeTransform = -1;
        private int app1Offset = -1;
        private int app1Length;

        /** One segment's data, [at, end), as libjpeg's jdmarker.c examines it. */
        void segment(int marker, byte[] file, int at, int end) {
            int length = end - at;
            if (marker == APP0 && length >= 14 && startsWith(file, at, end, "JFIF\0")) {
                jfif = true;
            } else if (marker == APP14 && length >= 12 && startsWith(file, at, end, "Adobe")) {
                adobeTransform = file[at + 11] & 0xff;
            } else if (marker == APP1 && app1Offset < 0) {
                app1Offset = at;
                app1Length = length;
            } else if (isStartOfFrame(marker) && components == 0 && length >= 6) {
                int count = file[at + 5] & 0xff;
                if (length >= 6 + 3 * count) {
                    components = count;
                    componentIds = new int[count];
                    for (int i = 0; i < count; i++) {
                        componentIds[i] = file[at + 6 + 3 * i] & 0xff;
                    }
                }
            }
        }

        JpegHeader build() {
            return new JpegHeader(components, componentIds, jfif, adobeTransform, app1Offset, app1Length);
        }
    }
}
