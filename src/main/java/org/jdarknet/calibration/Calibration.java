package org.jdarknet.calibration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jdarknet.backend.Shape;
import org.jdarknet.layers.Layer;

/**
 * The activation ranges int8 inference quantises with: the largest |value| that the network's
 * input and each layer's output reached over some calibration images, measured in fp32
 * ({@link Calibrator}). A layer reads the previous layer's output (layer 0 the network's input),
 * so that is the range {@link #inputRange(int)} gives a convolution. Each convolution's output
 * before its activation has a range too ({@link #preActivationRange}), for the int8 ONNX export.
 *
 * <p>A calibration belongs to one network: {@link #network()} fingerprints every layer's kind and
 * output shape, and {@link #requireFits} refuses any other. Stored as the small text file
 * {@link CalibrationFile} reads and writes (docs/precision.md).
 *
 * @param cfg         the cfg file's name it was measured for (for messages; the fingerprint decides)
 * @param network     {@link #fingerprint} of that network
 * @param images      how many images it was measured on
 * @param input       the largest |x| of the network's input
 * @param layers      one range per layer, in layer order
 * @param source      where it was read from, for messages (not part of equality); null when measured here
 */
public record Calibration(String cfg, String network, int images, float input, List<LayerRange> layers, Path source) {
    /** 64 bits of SHA-256: enough that two different networks do not collide by chance. */
    private static final int FINGERPRINT_BYTES = 8;

    /**
     * One layer's largest |output|; {@code kind} is the layer table's name (conv, max, ...), for
     * readers of the file. {@code preActivation}: a convolution's largest |output| before its
     * activation (after batch norm and the bias), what an int8 ONNX model quantises after the
     * convolution; NaN for other layers, and in calibrations measured before it was recorded.
     */
    public record LayerRange(int index, String kind, float range, float preActivation) {
        /** A layer without a pre-activation range. */
        public LayerRange(int index, String kind, float range) {
            this(index, kind, range, Float.NaN);
        }
    }

    public Calibration {
        layers = List.copyOf(layers);
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).index() != i) {
                throw new IllegalArgumentException("layer ranges out of order: " + layers.get(i).index() + " at " + i);
            }
        }
    }

    /** The largest |value| of the tensor layer {@code index} reads: the network's input for layer 0. */
    public float inputRange(int index) {
        if (index < 0 || index > layers.size()) {
            throw new IndexOutOfBoundsException("layer " + index + " of " + layers.size());
        }
        return index == 0 ? input : layers.get(index - 1).range();
    }

    /** The largest |output| of layer {@code index}. */
    public float outputRange(int index) {
        return layers.get(index).range();
    }

    /** The largest |output| of the convolution at layer {@code index} before its activation; NaN when not measured. */
    public float preActivationRange(int index) {
        return layers.get(index).preActivation();
    }

    /**
     * Whether any layer has a pre-activation range: false for a calibration file written before
     * they were measured (format 1), which int8 inference still reads (it needs only the others).
     */
    public boolean hasPreActivationRanges() {
        return layers.stream().anyMatch(layer -> !Float.isNaN(layer.preActivation()));
    }

    /**
     * Refuses a network other than the one this calibration was measured on (its ranges would
     * belong to other tensors): {@code input} and {@code layers} as built from {@code cfgFile}.
     */
    public void requireFits(Path cfgFile, Shape input, List<Layer> layers) {
        String actual = fingerprint(input, layers);
        if (!actual.equals(network)) {
            throw new CalibrationException(where() + "made for " + cfg + " (network " + network + ", "
                    + this.layers.size() + " layers), not for " + cfgFile.getFileName() + " (network " + actual
                    + ", " + layers.size() + " layers)");
        }
    }

    private String where() {
        return source == null ? "the calibration: " : source + ": ";
    }

    /**
     * A hex digest of the network's input shape and every layer's kind and output shape (without
     * the batch): two cfgs that give the same fingerprint have tensors of the same shapes in the
     * same places, so the ranges apply.
     */
    public static String fingerprint(Shape input, List<Layer> layers) {
        StringBuilder description = new StringBuilder(chw(input));
        for (Layer layer : layers) {
            description.append(';').append(layer.kind()).append(' ').append(chw(layer.outputShape()));
        }
        return HexFormat.of().formatHex(sha256(description.toString()), 0, FINGERPRINT_BYTES);
    }

    private static String chw(Shape shape) {
        return String.format(Locale.ROOT, "%dx%dx%d", shape.c(), shape.h(), shape.w());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** This calibration, to be named {@code source} in messages. */
    public Calibration from(Path file) {
        return new Calibration(cfg, network, images, input, layers, file);
    }

    /** Equal when the ranges are, for the same network, wherever each was read from. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Calibration that && cfg.equals(that.cfg) && network.equals(that.network)
                && images == that.images && Float.compare(input, that.input) == 0 && layers.equals(that.layers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cfg, network, images, input, layers);
    }

    /** Reads the file {@link CalibrationFile} describes. */
    public static Calibration read(Path file) {
        return CalibrationFile.read(file);
    }

    /** Writes this calibration as {@link CalibrationFile} describes, atomically. */
    public void write(Path file) {
        CalibrationFile.write(this, file);
    }
}
