package org.jdarknet.backend.cuda;

import java.util.Locale;

/**
 * The words of a failed call, kept apart from the calls themselves so that they can be checked
 * without a GPU: which library, which function, which status, and what jdarknet was doing.
 */
final class ErrorMessages {
    private ErrorMessages() {
    }

    /**
     * E.g. {@code cudnnConvolutionForward failed for convolution 64x3x224x224 -> 32 filters:
     * CUDNN_STATUS_BAD_PARAM (2000)}.
     *
     * @param status  the library's name for the status, or null when it has none
     * @param context what was being done, or null
     */
    static String failure(String call, int code, String status, String context) {
        StringBuilder text = new StringBuilder(call).append(" failed");
        if (context != null) {
            text.append(" for ").append(context);
        }
        text.append(": ").append(status == null || status.isBlank() ? "status" : status).append(" (").append(code).append(')');
        return text.toString();
    }

    /**
     * Out of device memory: how much the failed allocation wanted, how much is free, and what to
     * change in the cfg.
     *
     * @param freeBytes the device's free memory, negative when it could not be asked
     */
    static String outOfMemory(String call, long neededBytes, long freeBytes, long totalBytes, String context) {
        StringBuilder text = new StringBuilder("out of GPU memory: ").append(call).append(" needed ")
                .append(bytes(neededBytes));
        if (context != null) {
            text.append(" for ").append(context);
        }
        if (freeBytes >= 0) {
            text.append(" with ").append(bytes(freeBytes)).append(" free of ").append(bytes(totalBytes));
        }
        return text.append("; raise subdivisions or lower batch in the cfg's [net] section").toString();
    }

    /** A byte count for people: {@code 512 B}, {@code 3.0 KiB}, {@code 1.5 GiB}. */
    static String bytes(long count) {
        if (count < 1024) {
            return count + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
