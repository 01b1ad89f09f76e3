package org.jdarknet.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * C's {@code printf("%W.Pf")} for the numbers darknet prints. Java's own {@code %f} rounds the
 * shortest decimal form half-up, so 0.125 prints as 0.13 where C prints 0.12; C rounds the exact
 * binary value, to nearest with ties to even, which is what this does.
 */
final class CFormat {

    private CFormat() {
    }

    static String fixed(double value, int width, int precision) {
        String digits = Double.isFinite(value)
                ? new BigDecimal(value).setScale(precision, RoundingMode.HALF_EVEN).toPlainString()
                : Double.isNaN(value) ? nan(value) : value > 0 ? "inf" : "-inf";
        if (digits.startsWith("0") || digits.startsWith("-0")) {
            digits = negativeZeroAware(value, digits);
        }
        return " ".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /**
     * glibc prints a NaN's sign bit: x86 arithmetic (0/0, inf-inf) makes negative NaNs, so
     * darknet's broken outputs read {@code -nan}.
     */
    private static String nan(double value) {
        return Double.doubleToRawLongBits(value) < 0 ? "-nan" : "nan";
    }

    /** C keeps the sign of a negative number that rounds to zero ({@code -0.00}). */
    private static String negativeZeroAware(double value, String digits) {
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        if (negative && !digits.startsWith("-")) {
            return "-" + digits;
        }
        return digits;
    }

    /** Darknet's prediction line: {@code %5.2f%%: name} of {@code probability*100} in float. */
    static String percentLine(float probability, String label) {
        return fixed(probability * 100f, 5, 2) + "%: " + label;
    }
}
