package org.jdarknet.backend;

import static org.jdarknet.backend.BackendPair.random;

import java.util.stream.Stream;
import org.jdarknet.backend.BackendPair.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every inference operation other than convolution against the reference backend, in each variant
 * of the tested backend, on the cases that differ between the cpu backend's layouts: channel
 * counts below a block (planar), not a multiple of it (padded blocks), darknet's pooling windows,
 * shape-changing shortcuts, routes at odd offsets. Operations that only move or compare values
 * must agree bit for bit, the others within the contract's {@link Tolerances}.
 */
public abstract class OperationsConformance extends BackendConformance {

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 20, 64})
    void uploadAndDownloadKeepEveryValue(int channels) {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, channels, 5, 7);
            float[] values = random(channels, shape.size(), 1);
            backends.assertIdentical(backends.activation(shape, values), "round trip of " + shape);
        }
    }

    @Test
    void fillAndCopyTouchOnlyRealChannels() {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, 20, 3, 3);
            Pair filled = backends.activation(shape);
            backends.reference.fill(filled.reference(), 0.5f);
            backends.tested.fill(filled.tested(), 0.5f);
            backends.assertIdentical(filled, "fill");
            Pair copied = backends.activation(shape);
            backends.reference.copy(filled.reference(), copied.reference());
            backends.tested.copy(filled.tested(), copied.tested());
            backends.assertIdentical(copied, "copy");
        }
    }

    /**
     * {@link Backend#repeatable}: however a backend runs the pass (eagerly, recorded, replayed),
     * each call computes with the values uploaded just before it, as the reference computes them
     * directly; a tensor freed between calls (which drops any recording) changes nothing.
     */
    @Test
    void aRepeatablePassComputesWithTheValuesUploadedBeforeEachCall() {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, 20, 6, 6);
            PoolSpec spec = new PoolSpec(shape, 2, 2, 1);
            Pair input = backends.activation(shape);
            Pair doubled = backends.activation(shape);
            Pair pooled = backends.activation(spec.output());
            Object key = new Object();
            for (int call = 0; call < 5; call++) {
                backends.upload(random(call, shape.size(), 1), input);
                backends.tested.repeatable(key, () -> twiceThenPool(backends.tested, spec, input.tested(), doubled.tested(),
                        pooled.tested()));
                twiceThenPool(backends.reference, spec, input.reference(), doubled.reference(), pooled.reference());
                backends.assertIdentical(doubled, "doubled input, call " + call);
                backends.assertIdentical(pooled, "pooled, call " + call);
                if (call == 2) {
                    backends.tested.allocate(shape).close();
                }
            }
        }
    }

    private static void twiceThenPool(Backend backend, PoolSpec spec, Tensor input, Tensor doubled, Tensor pooled) {
        backend.copy(input, doubled);
        backend.shortcut(input, 1, 1, doubled);
        backend.maxPool(spec, doubled, pooled);
    }

    static Stream<Arguments> poolings() {
        return Stream.of(
                Arguments.of(2, 2, 1, 8, 8),     // darknet's default padding = size - 1
                Arguments.of(2, 1, 1, 7, 7),     // stride 1 keeps the size (tiny-yolo's last maxpool)
                Arguments.of(3, 2, 2, 9, 9),
                Arguments.of(3, 1, 2, 5, 6),
                Arguments.of(2, 2, 0, 7, 7),     // the last input row and column are never read
                Arguments.of(3, 2, 0, 8, 6),
                Arguments.of(5, 1, 4, 6, 6),
                Arguments.of(3, 3, 1, 10, 10),
                Arguments.of(2, 1, 6, 5, 5),     // windows entirely outside the image: -FLT_MAX, darknet's way
                Arguments.of(1, 2, 0, 6, 5));
    }

    @ParameterizedTest
    @MethodSource("poolings")
    void maxPoolFollowsDarknetsWindows(int size, int stride, int padding, int height, int width) {
        for (BackendPair backends : pairs) {
            for (int channels : new int[] {3, 20, 32}) {
                PoolSpec spec = new PoolSpec(new Shape(2, channels, height, width), size, stride, padding);
                Pair input = backends.activation(spec.input(), random(size * 31L + channels, spec.input().size(), 1));
                Pair output = backends.activation(spec.output());
                backends.reference.maxPool(spec, input.reference(), output.reference());
                backends.tested.maxPool(spec, input.tested(), output.tested());
                backends.assertIdentical(output, "maxpool " + spec);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 20, 1000})
    void averagePoolIsTheChannelMean(int channels) {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, channels, 7, 5);
            Pair input = backends.activation(shape, random(channels, shape.size(), 1));
            Pair output = backends.activation(new Shape(2, channels, 1, 1));
            backends.reference.averagePool(input.reference(), output.reference());
            backends.tested.averagePool(input.tested(), output.tested());
            backends.assertClose(output, tolerances().rounding(), "average pool over " + shape);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "32, 8, 8, 32, 8, 8, 1, 1",       // a residual block
        "20, 5, 5, 20, 5, 5, 0.5, -2",    // padded channels, darknet's alpha and beta
        "64, 8, 8, 16, 16, 16, 1, 1",     // from is larger: sampled every 2nd cell, 16 common channels
        "16, 16, 16, 64, 8, 8, 1, 1",     // from is smaller: added at every 2nd cell of the output
        "16, 8, 8, 64, 8, 8, 1, 1",       // only channels differ (a resnet stage's first block)
        "64, 8, 8, 16, 8, 8, 0.5, 2",     // only channels differ, from the wider
        "12, 6, 6, 20, 6, 6, 1, 1",       // only channels differ, not in whole blocks of 8
        "3, 12, 12, 21, 6, 6, 1, 1",      // planar into padded blocks
        "21, 6, 6, 5, 3, 3, 1, 0.5"})
    void shortcutAddsAsDarknetDoes(int fromC, int fromH, int fromW, int outC, int outH, int outW, float alpha, float beta) {
        for (BackendPair backends : pairs) {
            Shape fromShape = new Shape(2, fromC, fromH, fromW);
            Shape outShape = new Shape(2, outC, outH, outW);
            Pair from = backends.activation(fromShape, random(fromC, fromShape.size(), 1));
            Pair output = backends.activation(outShape, random(outC + 1000, outShape.size(), 1));
            backends.reference.shortcut(from.reference(), alpha, beta, output.reference());
            backends.tested.shortcut(from.tested(), alpha, beta, output.tested());
            double tolerance = alpha == 1 && beta == 1 ? 0 : tolerances().rounding();
            backends.assertClose(output, tolerance, "shortcut " + fromShape + " into " + outShape);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"16,16", "3,5,13", "20,12,32", "1,2,3,4,5,6", "32,3,16,17", "64,128"})
    void routeConcatenatesAtAnyChannelOffset(String channelList) {
        for (BackendPair backends : pairs) {
            int[] channels = Stream.of(channelList.split(",")).mapToInt(Integer::parseInt).toArray();
            int total = 0;
            for (int c : channels) {
                total += c;
            }
            Pair output = backends.activation(new Shape(2, total, 4, 3));
            int offset = 0;
            for (int c : channels) {
                Shape shape = new Shape(2, c, 4, 3);
                Pair source = backends.activation(shape, random(offset + c, shape.size(), 1));
                backends.reference.copyChannels(source.reference(), output.reference(), offset);
                backends.tested.copyChannels(source.tested(), output.tested(), offset);
                offset += c;
            }
            backends.assertIdentical(output, "route of " + channelList);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "1, 0.5", "4, 1", "10, 2", "1000, 1"})
    void softmaxOverGroupsWithTemperature(int groups, float temperature) {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, 1000, 1, 1);
            Pair input = backends.activation(shape, random(groups, shape.size(), 3));
            Pair output = backends.activation(shape);
            backends.reference.softmax(input.reference(), groups, temperature, output.reference());
            backends.tested.softmax(input.tested(), groups, temperature, output.tested());
            backends.assertClose(output, tolerances().softmax(), "softmax groups=" + groups + " temperature=" + temperature);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void cropTakesTheWindow(boolean flip) {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, 3, 10, 12);
            Pair input = backends.activation(shape, random(7, shape.size(), 1));
            Pair output = backends.activation(new Shape(2, 3, 6, 7));
            backends.reference.crop(input.reference(), 2, 3, flip, 2, -1, output.reference());
            backends.tested.crop(input.tested(), 2, 3, flip, 2, -1, output.tested());
            backends.assertIdentical(output, "crop");
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyActivationAppliedAlone(Activation activation) {
        for (BackendPair backends : pairs) {
            for (int channels : new int[] {3, 20}) {
                Shape shape = new Shape(2, channels, 4, 5);
                Pair tensor = backends.activation(shape, random(activation.ordinal(), shape.size(), 3));
                Epilogue epilogue = Epilogue.activation(activation);
                backends.reference.apply(epilogue, tensor.reference());
                backends.tested.apply(epilogue, tensor.tested());
                backends.assertClose(tensor, tolerances().approximation(), activation.cfgName() + " on " + shape);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BatchNormStyle.class)
    void batchNormBiasAndActivationAppliedAlone(BatchNormStyle style) {
        for (BackendPair backends : pairs) {
            for (Activation activation : new Activation[] {Activation.LINEAR, Activation.LEAKY, Activation.STAIR}) {
                Shape shape = new Shape(2, 20, 4, 5);
                Pair tensor = backends.activation(shape, random(20, shape.size(), 2));
                BackendPair.Epilogues epilogue = backends.epilogue(shape.c(), style, true, activation);
                backends.reference.apply(epilogue.reference(), tensor.reference());
                backends.tested.apply(epilogue.tested(), tensor.tested());
                backends.assertClose(tensor, tolerances().rounding(), style + " batch norm, bias, then " + activation.cfgName());
            }
        }
    }

    /** An epilogue ending with a residual, applied alone and after a connected layer: composed on every backend. */
    @Test
    void aResidualEndsAnyEpilogue() {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(2, 20, 4, 5);
            Pair tensor = backends.activation(shape, random(21, shape.size(), 2));
            Pair from = backends.activation(shape, random(22, shape.size(), 1));
            BackendPair.Epilogues epilogue = backends.epilogue(shape.c(), BatchNormStyle.PJREDDIE, true, Activation.LEAKY)
                    .withResidual(from, 0.5f, 2, Activation.LEAKY);
            backends.reference.apply(epilogue.reference(), tensor.reference());
            backends.tested.apply(epilogue.tested(), tensor.tested());
            backends.assertClose(tensor, tolerances().rounding(), "apply with a residual");

            Shape input = new Shape(2, 7, 1, 1);
            Pair x = backends.activation(input, random(23, input.size(), 1));
            Pair weights = backends.parameter(new Shape(6, 7, 1, 1), random(24, 42, 0.4));
            Pair y = backends.activation(new Shape(2, 6, 1, 1));
            Pair add = backends.activation(y.shape(), random(25, y.shape().size(), 1));
            BackendPair.Epilogues connected = backends.epilogue(6, null, true, Activation.LINEAR)
                    .withResidual(add, 1, 1, Activation.LEAKY);
            ConnectedSpec spec = new ConnectedSpec(input, 6);
            try (Connected reference = backends.reference.connected(spec); Connected tested = backends.tested.connected(spec)) {
                reference.forward(x.reference(), weights.reference(), connected.reference(), y.reference());
                tested.forward(x.tested(), weights.tested(), connected.tested(), y.tested());
            }
            backends.assertClose(y, tolerances().rounding(), "connected with a residual");
        }
    }

    @Test
    void batchNormWithoutBiasAppliedAlone() {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(1, 64, 3, 3);
            Pair tensor = backends.activation(shape, random(5, shape.size(), 2));
            BackendPair.Epilogues epilogue = backends.epilogue(shape.c(), BatchNormStyle.ALEXEYAB, false, Activation.LINEAR);
            backends.reference.apply(epilogue.reference(), tensor.reference());
            backends.tested.apply(epilogue.tested(), tensor.tested());
            backends.assertClose(tensor, tolerances().rounding(), "a [batchnorm] layer");
        }
    }

    @ParameterizedTest
    @CsvSource({"40, 3, 3, 1000, 1", "7, 1, 1, 5, 2", "64, 1, 1, 20, 2"})
    void connectedLayerFusesItsEpilogue(int channels, int height, int width, int outputs, int batch) {
        for (BackendPair backends : pairs) {
            Shape input = new Shape(batch, channels, height, width);
            Pair x = backends.activation(input, random(1, input.size(), 1));
            Pair weights = backends.parameter(new Shape(outputs, input.itemSize(), 1, 1),
                    random(2, outputs * input.itemSize(), Math.sqrt(1.0 / input.itemSize())));
            Pair y = backends.activation(new Shape(batch, outputs, 1, 1));
            BackendPair.Epilogues epilogue = backends.epilogue(outputs, BatchNormStyle.PJREDDIE, true, Activation.LEAKY);
            ConnectedSpec spec = new ConnectedSpec(input, outputs);
            try (Connected reference = backends.reference.connected(spec); Connected tested = backends.tested.connected(spec)) {
                reference.forward(x.reference(), weights.reference(), epilogue.reference(), y.reference());
                tested.forward(x.tested(), weights.tested(), epilogue.tested(), y.tested());
            }
            backends.assertClose(y, tolerances().rounding(), "connected " + input + " -> " + outputs);
        }
    }
}
