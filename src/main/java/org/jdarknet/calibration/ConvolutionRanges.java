package org.jdarknet.calibration;

import java.util.List;

/**
 * Which convolutions int8 quantises, and the input range each gets from a calibration: every
 * {@code [convolutional]} layer but the classifier head reads the range {@link
 * Calibration#inputRange} gives; the head, and anything the calibration does not cover, gets NaN
 * (computed in fp32).
 *
 * <p>The head is the last convolution when no {@code [connected]} layer follows it: darknet19,
 * darknet53, the resnets and densenets end with a 1x1 convolution to the classes before average
 * pooling and softmax. Its error goes straight into the class scores that softmax turns into
 * probabilities, while it holds a small share of the network's operations, so int8 would cost
 * accuracy there for little speed. Connected layers (and softmax) have no int8 path at all.
 */
public final class ConvolutionRanges {
    /** No calibration: every convolution NaN. */
    public static final ConvolutionRanges NONE = new ConvolutionRanges(null, -1);

    private static final String CONVOLUTIONAL = "convolutional";
    private static final String CONNECTED = "connected";

    private final Calibration calibration;
    private final int head;

    private ConvolutionRanges(Calibration calibration, int head) {
        this.calibration = calibration;
        this.head = head;
    }

    /** @param layerTypes the cfg's section types after {@code [net]}, in layer order */
    public static ConvolutionRanges of(Calibration calibration, List<String> layerTypes) {
        return new ConvolutionRanges(calibration, classifierHead(layerTypes));
    }

    /**
     * The index of the classifier head (see the class comment) among {@code layerTypes}; -1 when the
     * last convolution is followed by a connected layer, or there is no convolution.
     */
    public static int classifierHead(List<String> layerTypes) {
        for (int i = layerTypes.size() - 1; i >= 0; i--) {
            switch (layerTypes.get(i)) {
                case CONVOLUTIONAL:
                    return i;
                case CONNECTED:
                    return -1;
                default:
                    break;
            }
        }
        return -1;
    }

    /** The input range the convolution at layer {@code index} is quantised with; NaN: computed in fp32. */
    public float inputRange(int index) {
        if (calibration == null || index == head || index > calibration.layers().size()) {
            return Float.NaN;
        }
        return calibration.inputRange(index);
    }
}
