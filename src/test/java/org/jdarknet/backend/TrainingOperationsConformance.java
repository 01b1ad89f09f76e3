package org.jdarknet.backend;

import static org.jdarknet.backend.BackendPair.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.BiConsumer;
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
 * Every training operation against the reference backend, in each variant of the tested backend,
 * on small tensors with the channel counts that differ between the cpu backend's layouts (below a
 * block, not a multiple of one, several blocks). Destinations start non-zero, since backward
 * operations add to them. Operations that only move, compare or add values in darknet's order
 * agree bit for bit; the others within the contract's {@link Tolerances}.
 */
public abstract class TrainingOperationsConformance extends BackendConformance {

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
                backends.tested.batchNormForward(states.tested(), x.tested());
                String what = style + " batch norm of " + shape;
                backends.assertClose(x, tolerances().batchNorm(), what + ": output");
                states.assertForward(tolerances().batchNorm(), what);

                Pair delta = backends.activation(shape, random(channels + 1, shape.size(), 1));
                backends.reference.batchNormBackward(states.reference(), delta.reference());
                backends.tested.batchNormBackward(states.tested(), delta.tested());
                backends.assertClose(delta, tolerances().batchNorm(), what + ": delta");
                states.assertBackward(tolerances().batchNorm(), what);
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

        BatchNormTraining tested() {
            return state(perChannel.stream().map(Pair::tested).toList(), input.tested(), normalized.tested());
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
            both(backends, (backend, tested) -> backend.biasGradient(delta.of(tested), gradient.of(tested)));
            backends.assertClose(gradient, tolerances().rounding(), "bias gradient of " + shape);
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
            both(backends, (backend, tested) -> backend.activationGradient(activation, needsInput ? x.of(tested) : null,
                    y.of(tested), delta.of(tested)));
            backends.assertClose(delta, tolerances().rounding(), activation.cfgName() + " gradient on " + shape);
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
                 Convolution tested = backends.tested.convolution(spec)) {
                for (int pass = 0; pass < 2; pass++) {
                    reference.backward(input.reference(), weights.reference(), delta.reference(), gradient.reference(),
                            inputDelta.reference());
                    tested.backward(input.tested(), weights.tested(), delta.tested(), gradient.tested(), inputDelta.tested());
                }
                reference.backward(input.reference(), weights.reference(), delta.reference(), gradient.reference(), null);
                tested.backward(input.tested(), weights.tested(), delta.tested(), gradient.tested(), null);
            }
            backends.assertClose(gradient, tolerances().linear(), spec + ": weight gradient");
            backends.assertClose(inputDelta, tolerances().linear(), spec + ": input delta");
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
            for (Backend backend : List.of(backends.reference, backends.tested)) {
                boolean tested = backend == backends.tested;
                try (Connected connected = backend.connected(new ConnectedSpec(shape, outputs))) {
                    connected.backward(input.of(tested), weights.of(tested), delta.of(tested), gradient.of(tested), inputDelta.of(tested));
                    connected.backward(input.of(tested), weights.of(tested), delta.of(tested), gradient.of(tested), null);
                }
            }
            backends.assertClose(gradient, tolerances().linear(), "connected " + shape + " -> " + outputs + ": weight gradient");
            backends.assertClose(inputDelta, tolerances().linear(), "connected " + shape + " -> " + outputs + ": input delta");
        }
    }

    static Stream<Arguments> poolings() {
        return OperationsConformance.poolings();
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
                backends.tested.maxPoolBackward(spec, input.tested(), delta.tested(), inputDelta.tested());
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
            both(backends, (backend, tested) -> backend.averagePoolBackward(delta.of(tested), inputDelta.of(tested)));
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
            backends.tested.addChannels(source.tested(), offset, destination.tested());
            backends.assertIdentical(destination, "channels " + offset + ".. of " + whole);
        }
    }

    @Test
    void axpyAndScaleOnActivationsAndParameters() {
        everyLayoutAndWidth((backends, shape) -> {
            Pair x = backends.activation(shape, random(1, shape.size(), 1));
            Pair y = backends.activation(shape, random(2, shape.size(), 1));
            both(backends, (backend, tested) -> backend.axpy(-0.7f, x.of(tested), y.of(tested)));
            both(backends, (backend, tested) -> backend.scale(y.of(tested), 0.3f));
            backends.assertClose(y, tolerances().rounding(), "axpy and scale on " + shape);
            Pair p = backends.parameter(shape, random(3, shape.size(), 1));
            Pair q = backends.parameter(shape, random(4, shape.size(), 1));
            both(backends, (backend, tested) -> backend.axpy(-0.7f, p.of(tested), q.of(tested)));
            both(backends, (backend, tested) -> backend.scale(q.of(tested), 0.3f));
            backends.assertIdentical(q, "axpy and scale on parameters " + shape);
        });
    }

    @Test
    void lossesAndTheirDeltas() {
        for (BackendPair backends : pairs) {
            Shape shape = new Shape(3, 20, 1, 1);
            Pair probabilities = backends.activation(shape);
            Pair input = backends.activation(shape, random(1, shape.size(), 2));
            both(backends, (backend, tested) -> backend.softmax(input.of(tested), 1, 1, probabilities.of(tested)));
            float[] truth = new float[shape.size()];
            truth[4] = 1;
            truth[33] = 0.5f;
            truth[59] = 1;
            Pair expected = backends.activation(shape, truth);
            Pair delta = backends.activation(shape);
            double bound = tolerances().softmax();
            float loss = backends.reference.softmaxCrossEntropy(probabilities.reference(), expected.reference(),
                    delta.reference());
            assertEquals(loss, backends.tested.softmaxCrossEntropy(probabilities.tested(), expected.tested(),
                    delta.tested()), bound * Math.abs(loss), backends.name() + " softmax cross-entropy");
            backends.assertClose(delta, bound, "softmax cross-entropy delta");
            for (CostFunction function : CostFunction.values()) {
                float cost = backends.reference.cost(function, input.reference(), expected.reference(), delta.reference());
                assertEquals(cost, backends.tested.cost(function, input.tested(), expected.tested(), delta.tested()),
                        bound * Math.abs(cost), backends.name() + " " + function.cfgName());
                backends.assertClose(delta, bound, function.cfgName() + " delta");
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
            both(backends, (backend, tested) -> backend.dropout(x.of(tested), mask.of(tested), probability, 77));
            both(backends, (backend, tested) -> backend.dropoutBackward(mask.of(tested), probability, delta.of(tested)));
            String what = "dropout " + probability + " on " + shape;
            backends.assertIdentical(mask, what + ": mask");
            backends.assertIdentical(x, what + ": output");
            backends.assertIdentical(delta, what + ": delta");
        });
    }

    /** Runs {@code check} in every variant on a {@code 2 × channels × 3 × 4} tensor for each of {@link #CHANNELS}. */
    private void everyLayoutAndWidth(BiConsumer<BackendPair, Shape> check) {
        for (BackendPair backends : pairs) {
            for (int channels : CHANNELS) {
                check.accept(backends, new Shape(2, channels, 3, 4));
            }
        }
    }

    /** Runs {@code operation} on the reference backend, then on the tested one (flag false, then true). */
    private static void both(BackendPair backends, BiConsumer<Backend, Boolean> operation) {
        operation.accept(backends.reference, false);
        operation.accept(backends.tested, true);
    }

    private static float[] shifted(float[] values, float shift) {
        for (int i = 0; i < values.length; i++) {
            values[i] += shift;
        }
        return values;
    }
}
