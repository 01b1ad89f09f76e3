package org.jdarknet.backend;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jdarknet.UsageException;

/**
 * The arithmetic a backend computes convolutions and connected layers in. {@link #FP32} is
 * darknet's own (and the only one the reference backend has); the others trade accuracy for speed
 * on CPUs with bf16 or int8 dot products.
 */
public enum Precision {
    /** Single precision throughout, as darknet computes. */
    FP32,
    /** Products in bfloat16 (8-bit mantissa), sums and activations in fp32; needs no calibration. */
    BF16,
    /**
     * Convolutions on 8-bit integers: weights per output channel, inputs per tensor with the range
     * a calibration measured ({@link ConvolutionSpec#inputRange()}); the rest in fp32.
     */
    INT8;

    /** The name {@code --precision} takes. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String text) {
        for (Precision precision : values()) {
            if (precision.label().equals(text)) {
                return precision;
            }
        }
        throw new UsageException("unknown precision '" + text + "'; known: " + labels());
    }

    public static String labels() {
        return Arrays.stream(values()).map(Precision::label).collect(Collectors.joining(", "));
    }
}
