package org.jdarknet.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jdarknet.backend.Shape;

/** How the reports spell values. */
final class Formats {

    private Formats() {
    }

    /** Width × height × channels, the order of darknet's layer table. */
    static String dimensions(Shape shape) {
        return shape.w() + "x" + shape.h() + "x" + shape.c();
    }

    /** {@code value} rounded to {@code places} decimals, without exponent or trailing zeros: valid JSON and CSV. */
    static String decimal(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
