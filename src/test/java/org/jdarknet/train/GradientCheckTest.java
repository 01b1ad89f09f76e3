package org.jdarknet.train;

import static org.jdarknet.train.GradientCheck.check;

import java.util.stream.Stream;
import org.jdarknet.backend.Activation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backward of every layer type and activation checked against finite differences of the loss
 * (see {@link GradientCheck}), on the reference backend and on the cpu backend (where its natives
 * load). Each network is tiny; the layer under test sits between a convolution (whose weight
 * gradient depends on what flows back through it) and a classifier head.
 */
class GradientCheckTest {
    private static final double TOLERANCE = 5e-3;
    /** Kinks (relu-like activations, max pooling's switching argmax): a difference straddling one is off by more. */
    private static final double KINKED_TOLERANCE = 5e-2;

    private static String net(int width, int height, int channels) {
        return "[net]\nwidth=" + width + "\nheight=" + height + "\nchannels=" + channels + "\n";
    }

    private static final String HEAD = "\n[avgpool]\n\n[connected]\noutput=3\nactivation=linear\n\n[softmax]\n";

    static Stream<String> backends() {
        return TrainingBackends.names();
    }

    static Stream<Arguments> activations() {
        return backends().flatMap(backend -> Stream.of(Activation.values()).map(a -> Arguments.of(backend, a)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("activations")
    void convolutionWithEveryActivation(String backend, Activation activation) throws Exception {
        boolean kinked = switch (activation) {
            case RELU, LEAKY, RELIE, RAMP, PLSE, HARDTAN, LHTAN, STAIR, RELU6, HARD_MISH, ELU, SELU -> true;
            default -> false;
        };
        check(backend, net(6, 5, 2) + conv(4, 3, 1, 1, false, activation.cfgName()) + HEAD, 2, 1,
                kinked ? KINKED_TOLERANCE : TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void convolutionWithBatchNormStrideAndGroups(String backend) throws Exception {
        check(backend, net(7, 7, 4)
                + conv(6, 3, 2, 1, true, "logistic").replace("[convolutional]", "[convolutional]\ngroups=2")
                + conv(5, 1, 1, 0, true, "tanh") + HEAD, 3, 1, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void connectedWithAndWithoutBatchNorm(String backend) throws Exception {
        check(backend, net(3, 3, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[connected]\noutput=5\nbatch_normalize=1\nactivation=logistic\n"
                + "\n[connected]\noutput=4\nactivation=linear\n\n[softmax]\n", 3, 1, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void maxpoolWithDarknetPadding(String backend) throws Exception {
        check(backend, net(7, 6, 2) + conv(3, 3, 1, 1, false, "logistic") + "\n[maxpool]\nsize=2\nstride=2\n"
                + "\n[maxpool]\nsize=3\nstride=1\n" + HEAD, 2, 1, KINKED_TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shortcutSameShapeAndShapeChanging(String backend) throws Exception {
        check(backend, net(8, 8, 2) + conv(4, 3, 1, 1, false, "tanh") + conv(4, 3, 1, 1, false, "logistic")
                + "\n[shortcut]\nfrom=-2\nactivation=tanh\nalpha=0.7\nbeta=1.3\n"
                + conv(6, 3, 2, 1, false, "tanh") + "\n[shortcut]\nfrom=-2\nactivation=linear\n" + HEAD, 2, 1, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void routeConcatenatesAndSplitsDeltas(String backend) throws Exception {
        check(backend, net(5, 5, 2) + conv(3, 3, 1, 1, false, "tanh") + conv(2, 1, 1, 0, false, "logistic")
                + "\n[route]\nlayers=-1,-2\n" + conv(4, 3, 1, 1, false, "tanh") + HEAD, 2, 1, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void standaloneBatchnormAndDropout(String backend) throws Exception {
        check(backend, net(5, 4, 2) + conv(3, 3, 1, 1, false, "linear") + "\n[batchnorm]\n"
                + conv(4, 3, 1, 1, false, "tanh") + "\n[dropout]\nprobability=0.3\n" + HEAD, 3, 1, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void softmaxWithTemperature(String backend) throws Exception {
        check(backend, net(4, 4, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=linear\n\n[softmax]\ntemperature=0.7\n", 2, 1, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sseCostLayer(String backend) throws Exception {
        // darknet's sse delta is (truth - x), half the gradient of sum (truth - x)^2.
        check(backend, net(4, 4, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=logistic\n\n[cost]\ntype=sse\n", 2, 0.5, TOLERANCE);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void l1CostLayer(String backend) throws Exception {
        check(backend, net(4, 4, 2) + conv(3, 3, 1, 1, false, "tanh")
                + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=linear\n\n[cost]\ntype=L1\n", 2, 1, TOLERANCE);
    }

    private static String conv(int filters, int size, int stride, int padding, boolean batchNormalize, String activation) {
        return "\n[convolutional]\nfilters=" + filters + "\nsize=" + size + "\nstride=" + stride + "\npadding=" + padding
                + (batchNormalize ? "\nbatch_normalize=1" : "") + "\nactivation=" + activation + "\n";
    }
}
