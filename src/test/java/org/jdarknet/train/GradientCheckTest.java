package org.jdarknet.train;

import org.jdarknet.backend.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backward of every layer type and activation checked against finite differences of the loss
 * (see {@link GradientCheck}). Each network is tiny; the layer under test sits between a
 * convolution (whose weight gradient depends on what flows back through it) and a classifier head.
 */
class GradientCheckTest {
    private static final double TOLERANCE = 5e-3;
    /** Kinks (relu-like activations, max pooling's switching argmax): a difference straddling one is off by more. */
    private static final double KINKED_TOLERANCE = 5e-2;

    private static String net(int width, int height, int channels) {
        return "[net]\nwidth=" + width + "\nheight=" + height + "\nchannels=" + channels + "\n";
    }

    private static final String HEAD = "\n[avgpool]\n\n[connected]\noutput=3\nactivation=linear\n\n[softmax]\n";

    @ParameterizedTest
    @EnumSource(Activation.class)
    void convolutionWithEveryActivation(Activation activation) throws Exception {
        boolean kinked = switch (activation) {
            case RELU, LEAKY, RELIE, RAMP, PLSE, HARDTAN, LHTAN, STAIR, RELU6, HARD_MISH, ELU, SELU -> true;
            default -> false;
        };
        GradientCheck.check(net(6, 5, 2) + conv(4, 3, 1, 1, false, activation.cfgName()) + HEAD, 2, 1,
                kinked ? KINKED_TOLERANCE : TOLERANCE);
    }

    @Test
    void convolutionWithBatchNormStrideAndGroups() throws Exception {
        GradientCheck.check(net(7, 7, 4) + conv(6, 3, 2, 1, true, "logistic").replace("[convolutional]", "[convolutional]\ngroups=2")
                + conv(5, 1, 1, 0, true, "tanh") + HEAD, 3, 1, TOLERANCE);
    }

    @Test
    void connectedWithAndWithoutBatchNorm() throws Exception {
        GradientCheck.check(net(3, 3, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[connected]\noutput=5\nbatch_normalize=1\nactivation=logistic\n"
                + "\n[connected]\noutput=4\nactivation=linear\n\n[softmax]\n", 3, 1, TOLERANCE);
    }

    @Test
    void maxpoolWithDarknetPadding() throws Exception {
        GradientCheck.check(net(7, 6, 2) + conv(3, 3, 1, 1, false, "logistic") + "\n[maxpool]\nsize=2\nstride=2\n"
                + "\n[maxpool]\nsize=3\nstride=1\n" + HEAD, 2, 1, KINKED_TOLERANCE);
    }

    @Test
    void shortcutSameShapeAndShapeChanging() throws Exception {
        GradientCheck.check(net(8, 8, 2) + conv(4, 3, 1, 1, false, "tanh") + conv(4, 3, 1, 1, false, "logistic")
                + "\n[shortcut]\nfrom=-2\nactivation=tanh\nalpha=0.7\nbeta=1.3\n"
                + conv(6, 3, 2, 1, false, "tanh") + "\n[shortcut]\nfrom=-2\nactivation=linear\n" + HEAD, 2, 1, TOLERANCE);
    }

    @Test
    void routeConcatenatesAndSplitsDeltas() throws Exception {
        GradientCheck.check(net(5, 5, 2) + conv(3, 3, 1, 1, false, "tanh") + conv(2, 1, 1, 0, false, "logistic")
                + "\n[route]\nlayers=-1,-2\n" + conv(4, 3, 1, 1, false, "tanh") + HEAD, 2, 1, TOLERANCE);
    }

    @Test
    void standaloneBatchnormAndDropout() throws Exception {
        GradientCheck.check(net(5, 4, 2) + conv(3, 3, 1, 1, false, "linear") + "\n[batchnorm]\n"
                + conv(4, 3, 1, 1, false, "tanh") + "\n[dropout]\nprobability=0.3\n" + HEAD, 3, 1, TOLERANCE);
    }

    @Test
    void softmaxWithTemperature() throws Exception {
        GradientCheck.check(net(4, 4, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=linear\n\n[softmax]\ntemperature=0.7\n", 2, 1, TOLERANCE);
    }

    @Test
    void sseCostLayer() throws Exception {
        // darknet's sse delta is (truth - x), half the gradient of sum (truth - x)^2.
        GradientCheck.check(net(4, 4, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=logistic\n\n[cost]\ntype=sse\n", 2, 0.5, TOLERANCE);
    }

    @Test
    void l1CostLayer() throws Exception {
        GradientCheck.check(net(4, 4, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=linear\n\n[cost]\ntype=L1\n", 2, 1, TOLERANCE);
    }

    private static String conv(int filters, int size, int stride, int padding, boolean batchNormalize, String activation) {
        return "\n[convolutional]\nfilters=" + filters + "\nsize=" + size + "\nstride=" + stride + "\npadding=" + padding
                + (batchNormalize ? "\nbatch_normalize=1" : "") + "\nactivation=" + activation + "\n";
    }
}
