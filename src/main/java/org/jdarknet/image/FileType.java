package org.jdarknet.image;

/** The formats whose decoding needs more than ImageIO gives, told by their first bytes. */
enum FileType {
    JPEG, PNG, TIFF, WEBP, OTHER;

    static FileType of(byte[] file) {
        if (file.length >= 3 && (file[0] & 0xff) == 0xFF && (file[1] & 0xff) == 0xD8 && (file[2] & 0xff) == 0xFF) {
            return JPEG;
        }
        if (file.length >= 8 && (file[0] & 0xff) == 0x89 && file[1] == 'P' && file[2] == 'N' && file[3] == 'G') {
            return PNG;
        }
        if (file.length >= 12 && startsWith(file, 0, "RIFF") && startsWith(file, 8, "WEBP")) {
            return WEBP;
        }
        return isTiff(file, 0) ? TIFF : OTHER;
    }

    private static boolean startsWith(byte[] bytes, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[at + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A TIFF header ("II*\0" or "MM\0*") at {@code at}: TIFF files and EXIF blocks start so. */
    static boolean isTiff(byte[] bytes, int at) {
        if (at < 0 || at + 4 > bytes.length) {
            return false;
        }
        boolean intel = bytes[at] == 'I' && bytes[at + 1] == 'I' && bytes[at + 2] == 42 && bytes[at + 3] == 0;
        boolean motorola = bytes[at] == 'M' && bytes[at + 1] == 'M' && bytes[at + 2] == 0 && bytes[at + 3] == 42;
        return intel || motorola;
    }
}
