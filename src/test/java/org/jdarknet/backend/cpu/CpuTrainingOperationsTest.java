package org.jdarknet.backend.cpu;

import static org.jdarknet.backend.cpu.BackendPair.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.cpu.BackendPair.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every training operation of the cpu backend against the reference backend, in each activation
 * layout, on small tensors with the channel counts that differ between layouts (below a block,
 * not a multiple of one, several blocks). Destinations start non-zero, since backward operations
 * add to them. Operations that only move, compare or add values in darknet's order agree bit for
 * bit; the others within the stated tolerances.
 */
class CpuTrainingOperationsTest extends EveryLayout {
    /**
     * Single operations that sum or multiply in another order than darknet, relative to the largest
     * value; found: 1.6e-7 (bias gradients), activation gradients exact but for tanh (5e-8).
     */
    private static final double ROUNDING = 2e-6;
    /**
     * Convolution and connected backward, relative to the largest value: sums over a batch and a
     * window in oneDNN's order, with fused multiply-adds; found: 5.1e-7.
     */
    private static final double SUMS = 5e-6;
    /**
     * Batch normalisation, relative to the largest value: oneDNN's statistics and backward, which
     * sum in another order than darknet and take {@code x - mean} as {@code normalized * divisor};
     * found: 5.6e-7.
     */
    private static final double BATCH_NORM = 5e-6;

    private static final int[] CHANNELS = {3, 20, 32};

    @ParameterizedTest
    @EnumSource(BatchNormStyle.class)
    void batchNormForwardAndBackward(BatchNormStyle style) {
        for (BackendPair backends : pairs) {
            for (int channels : CHANNELS) {
                Shape shape = new Shape(3, channels, 5, 4);
                States states = new States(backends, shape, style);
                Pair x = backends.activation(shape, shifted(random(channels, shape.size(), 2), 0.5f));
                backends.reference.batchNormForward(states.reference(), x.reference());
                backends.cpu.batchNormForward(states.cpu(), x.cpu());
                String what = style + " batch norm of " + shape;
                backends.assertClose(x, BATCH_NORM, what + ": output");
                states.assertForward(BATCH_NORM, what);

                Pair delta = backends.activation(shape, random(channels + 1, shape.size(), 1));
                backends.reference.batchNormBackward(states.reference(), delta.reference());
                backends.cpu.batchNormBackward(states.cpu(), delta.cpu());
                backends.assertClose(delta, BATCH_NORM, what + ": delta");
                states.assertBackward(BATCH_NORM, what);
            }
        }
    }

    /** The per-channel tensors of one batch normalisation on both backends. */
    private record States(BackendPair backends, List<Pair> perChannel, Pair input, Pair normalized,
                          BatchNormStyle style) {

        States(BackendPair backends, Shape shape, BatchNormStyle style) {
            this(backends, Stream.of(1, 2, 3, 4, 5, 6, 7, 8).map(seed -> backends.parameter(Shape.vector(shape.c()),
                            shifted(random(seed, shape.c(), 0.2), seed < 4 ? 1 : 0))).toList(),
                    backends.activation(shape), backends.activation(shape), style);
        }

        BatchNormTraining reference() {
            return state(perChannel.stream().map(Pair::reference).toList(), input.reference(), normalized.reference());
        }

        BatchNormTraining cpu() {
            return state(perChannel.stream().map(Pair::cpu).toList(), input.cpu(), normalized.cpu());
        }

        /** Scales, rolling mean and variance, mean, variance, then the scales' gradient and the two deltas. */
        private BatchNormTraining state(List<org.jdarknet.backend.Tensor> v, org.jdarknet.backend.Tensor in,
                                        org.jdarknet.backend.Tensor normal) {
            return new BatchNormTraining(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4), in, normal, v.get(5),
                    v.get(6), v.get(7), style);
        }

        void assertForward(double tolerance, String what) {
            backends.assertIdentical(input, what + ": kept input");
            backends.assertClose(normalized, tolerance, what + ": normalized");
            List<String> names = List.of("rolling mean", "rolling variance", "mean", "variance");
            for (int i = 0; i < names.size(); i++) {
                backends.assertClose(perChannel.get(i + 1), tolerance, what + ": " + names.get(i));
            }
        }

        void assertBackward(double tolerance, String what) {
            List<String> names = List.of("scale gradient", "mean delta", "variance delta");
            for (int i = 0; i < names.size(); i++) {
                backends.assertClose(perChannel.get(i + 5), tolerance, what + ": " + names.get(i));
            }
        }
    }

    @Test
    void biasGradientAddsEachChannelsSum() {
        everyLayoutAndWidth((backends, shape) -> {
            Pair delta = backends.activation(shape, random(shape.c(), shape.size(), 1));
            Pair gradient = backends.parameter(Shape.vector(shape.c()), random(shape.c() + 1, shape.c(), 1));
            both(backends, (backend, cpu) -> backend.biasGradient(delta.of(cpu), gradient.of(cpu)));
            backends.assertClose(gradient, ROUNDING, "bias gradient of " + shape);
        });
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationGradient(Activation activation) {
        everyLayoutAndWidth((backends, shape) -> {
            float[] input = random(activation.ordinal(), shape.size(), 2);
            Pair x = backends.activation(shape, input);
            Pair y = backends.activation(shape, input);
            backends.reference.apply(Epilogue.activation(activation), y.reference());
            backends.upload(backends.reference.download(y.reference()), y);
            Pair delta = backends.activation(shape, random(shape.c(), shape.size(), 1));
            boolean needsInput = activation.gradientNeedsInput();
            both(backends, (backend, cpu) -> backend.activationGradient(activation, needsInput ? x.of(cpu) : null,
                    y.of(cpu), delta.of(cpu)));
            backends.assertClose(delta, ROUNDING, activation.cfgName() + " gradient on " + shape);
        });
    }

    @ParameterizedTest
    @CsvSource({
        // channels, height, width, filters, size, stride, padding, groups, batch
        "3, 9, 8, 16, 3, 1, 1, 1, 2",      // planar input
        "16, 7, 7, 20, 3, 1, 1, 1, 2",     // padded channel blocks out
        "20, 8, 8, 16, 3, 2, 1, 1, 2",     // stride 2, padded blocks in
        "32, 6, 6, 32, 3, 1, 1, 4, 2",     // groups
        "16, 5, 5, 16, 3, 1, 1, 16, 1",    // depthwise
        "32, 5, 6, 8, 1, 1, 0, 1, 3",      // 1x1
        "8, 6, 6, 4, 2, 2, 0, 1, 1"})      // an even kernel, fewer filters than a block
    void convolutionBackward(int channels, int height, int width, int filters, int size, int stride, int padding,
                             int groups, int batch) {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = new ConvolutionSpec(new Shape(batch, channels, height, width), filters, size, stride,
                    padding, groups);
            Pair input = backends.activation(spec.input(), random(1, spec.input().size(), 1));
            Pair weights = backends.parameter(spec.weights(), random(2, spec.weights().size(), 0.3));
            Pair delta = backends.activation(spec.output(), random(3, spec.output().size(), 1));
            Pair gradient = backends.parameter(spec.weights(), random(4, spec.weights().size(), 1));
            Pair inputDelta = backends.activation(spec.input(), random(5, spec.input().size(), 1));
            try (Convolution reference = backends.reference.convolution(spec);
                 Convolution cpu = backends.cpu.convolution(spec)) {
                for (int pass = 0; pass < 2; pass++) {
                    reference.backward(input.reference(), weights.reference(), delta.reference(), gradient.reference(),
                            inputDelta.reference());
                    cpu.backward(input.cpu(), weights.cpu(), delta.cpu(), gradient.cpu(), inputDelta.cpu());
                }
                reference.backward(input.reference(), weights.reference(), delta.reference(), gradient.reference(), null);
                cpu.backward(input.cpu(), weights.cpu(), delta.cpu(), gradient.cpu(), null);
            }
            backends.assertClose(gradient, SUMS, spec + ": weight gradient");
            backends.assertClose(inputDelta, SUMS, spec + ": input delta");
        }
    }

    @ParameterizedTest
    @CsvSource({"40, 3, 3, 10, 4", "7, 1, 1, 5, 2", "20, 2, 2, 33, 3"})
    void connectedBackward(int channels, int height, int width, int outputs, int batch) {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(batch, channels, height, width);
            Shape weightShape = new Shape(outputs, shape.itemSize(), 1, 1);
            Pair input = backends.activation(shape, random(1, shape.size(), 1));
            Pair weights = backends.parameter(weightShape, random(2, weightShape.size(), 0.3));
            Pair delta = backends.activation(new Shape(batch, outputs, 1, 1), random(3, batch * outputs, 1));
            Pair gradient = backends.parameter(weightShape, random(4, weightShape.size(), 1));
            Pair inputDelta = backends.activation(shape, random(5, shape.size(), 1));
            for (Backend backend : List.of(backends.reference, backends.cpu)) {
                boolean cpu = backend == backends.cpu;
                try (Connected connected = backend.connected(new ConnectedSpec(shape, outputs))) {
                    connected.backward(input.of(cpu), weights.of(cpu), delta.of(cpu), gradient.of(cpu), inputDelta.of(cpu));
                    connected.backward(input.of(cpu), weights.of(cpu), delta.of(cpu), gradient.of(cpu), null);
                }
            }
            backends.assertClose(gradient, SUMS, "connected " + shape + " -> " + outputs + ": weight gradient");
            backends.assertClose(inputDelta, SUMS, "connected " + shape + " -> " + outputs + ": input delta");
        }
    }

    static Stream<Arguments> poolings() {
        return CpuOperationsTest.poolings();
    }

    /** Inputs rounded to a few values, so that windows hold ties (the first largest takes the delta). */
    @ParameterizedTest
    @MethodSource("poolings")
    void maxPoolBackwardGivesTheDeltaToTheFirstLargest(int size, int stride, int padding, int height, int width) {
        for (BackendPair backends : pairs) {
            for (int channels : CHANNELS) {
                PoolSpec spec = new PoolSpec(new Shape(2, channels, height, width), size, stride, padding);
                float[] values = random(size * 31L + channels, spec.input().size(), 1);
                for (int i = 0; i < values.length; i++) {
                    values[i] = Math.max(0, Math.round(values[i] * 2));
                }
                Pair input = backends.activation(spec.input(), values);
                Pair delta = backends.activation(spec.output(), random(channels, spec.output().size(), 1));
                Pair inputDelta = backends.activation(spec.input(), random(channels + 1, spec.input().size(), 1));
                backends.reference.maxPoolBackward(spec, input.reference(), delta.reference(), inputDelta.reference());
                backends.cpu.maxPoolBackward(spec, input.cpu(), delta.cpu(), inputDelta.cpu());
                backends.assertIdentical(inputDelta, "maxpool backward " + spec);
            }
        }
    }

    @Test
    void averagePoolBackwardSpreadsTheDelta() {
        everyLayoutAndWidth((backends, shape) -> {
            Shape means = new Shape(shape.n(), shape.c(), 1, 1);
            Pair delta = backends.activation(means, random(shape.c(), means.size(), 1));
            Pair inputDelta = backends.activation(shape, random(shape.c() + 1, shape.size(), 1));
            both(backends, (backend, cpu) -> backend.averagePoolBackward(delta.of(cpu), inputDelta.of(cpu)));
            backends.assertIdentical(inputDelta, "average pool backward into " + shape);
        });
    }

    @ParameterizedTest
    @CsvSource({"16, 0, 16", "20, 4, 8", "35, 32, 3", "48, 5, 40"})
    void addChannelsTakesTheRouteBack(int total, int offset, int channels) {
        for (BackendPair backends : pairs) {
            Shape whole = new Shape(2, total, 3, 4);
            Shape part = new Shape(2, channels, 3, 4);
            Pair source = backends.activation(whole, random(total, whole.size(), 1));
            Pair destination = backends.activation(part, random(channels, part.size(), 1));
            backends.reference.addChannels(source.reference(), offset, destination.reference());
            backends.cpu.addChannels(source.cpu(), offset, destination.cpu());
            backends.assertIdentical(destination, "channels " + offset + ".. of " + whole);
        }
    }

    @Test
    void axpyAndScaleOnActivationsAndParameters() {
        everyLayoutAndWidth((backends, shape) -> {
            Pair x = backends.activation(shape, random(1, shape.size(), 1));
            Pair y = backends.activation(shape, random(2, shape.size(), 1));
            both(backends, (backend, cpu) -> backend.axpy(-0.7f, x.of(cpu), y.of(cpu)));
            both(backends, (backend, cpu) -> backend.scale(y.of(cpu), 0.3f));
            backends.assertClose(y, ROUNDING, "axpy and scale on " + shape);
            Pair p = backends.parameter(shape, random(3, shape.size(), 1));
            Pair q = backends.parameter(shape, random(4, shape.size(), 1));
            both(backends, (backend, cpu) -> backend.axpy(-0.7f, p.of(cpu), q.of(cpu)));
            both(backends, (backend, cpu) -> backend.scale(q.of(cpu), 0.3f));
            backends.assertIdentical(q, "axpy and scale on parameters " + shape);
        });
    }

    @Test
    void lossesAndTheirDeltas() {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(3, 20, 1, 1);
            Pair probabilities = backends.activation(shape);
            Pair input = backends.activation(shape, random(1, shape.size(), 2));
            both(backends, (backend, cpu) -> backend.softmax(input.of(cpu), 1, 1, probabilities.of(cpu)));
            float[] truth = new float[shape.size()];
            truth[4] = 1;
            truth[33] = 0.5f;
            truth[59] = 1;
            Pair expected = backends.activation(shape, truth);
            Pair delta = backends.activation(shape);
            assertEquals(backends.reference.softmaxCrossEntropy(probabilities.reference(), expected.reference(),
                    delta.reference()), backends.cpu.softmaxCrossEntropy(probabilities.cpu(), expected.cpu(), delta.cpu()));
            backends.assertIdentical(delta, "softmax cross-entropy delta");
            for (CostFunction function : CostFunction.values()) {
                assertEquals(backends.reference.cost(function, input.reference(), expected.reference(), delta.reference()),
                        backends.cpu.cost(function, input.cpu(), expected.cpu(), delta.cpu()), function.cfgName());
                backends.assertIdentical(delta, function.cfgName() + " delta");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0, 0.3f, 0.5f})
    void dropoutDrawsTheReferenceMask(float probability) {
        everyLayoutAndWidth((backends, shape) -> {
            Pair x = backends.activation(shape, random(1, shape.size(), 1));
            Pair mask = backends.activation(shape);
            Pair delta = backends.activation(shape, random(2, shape.size(), 1));
            both(backends, (backend, cpu) -> backend.dropout(x.of(cpu), mask.of(cpu), probability, 77));
            both(backends, (backend, cpu) -> backend.dropoutBackward(mask.of(cpu), probability, delta.of(cpu)));
            String what = "dropout " + probability + " on " + shape;
            backends.assertIdentical(mask, what + ": mask");
            backends.assertIdentical(x, what + ": output");
            backends.assertIdentical(delta, what + ": delta");
        });
    }

    /** Runs {@code check} in every layout on a {@code 2 × channels × 3 × 4} tensor for each of {@link #CHANNELS}. */
    private static void everyLayoutAndWidth(BiConsumer<BackendPair, Shape> check) {
        for (BackendPair backends : pairs) {
            for (int channels : CHANNELS) {
                check.accept(backends, new Shape(2, channels, 3, 4));
            }
        }
    }

    /** Runs {@code operation} on the reference backend, then on the cpu one (flag false, then true). */
    private static void both(BackendPair backends, BiConsumer<Backend, Boolean> operation) {
        operation.accept(backends.reference, false);
        operation.accept(backends.cpu, true);
    }

    private static float[] shifted(float[] values, float shift) {
        for (int i = 0; i < values.length; i++) {
            values[i] += shift;
        }
        return values;
    }
}
