package org.jdarknet.backend.cuda;

import static org.jdarknet.backend.cuda.KernelHarness.NULL;
import static org.jdarknet.backend.cuda.KernelHarness.buffer;
import static org.jdarknet.backend.cuda.KernelHarness.count;
import static org.jdarknet.backend.cuda.KernelHarness.integer;
import static org.jdarknet.backend.cuda.KernelHarness.real;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * Every CUDA kernel, compiled for the host with its {@code __global__} wrapper and run with several
 * grids, against the reference backend on the same inputs: bit for bit (NaNs of any payload count
 * as equal), except where a value goes through a transcendental ({@code exp}, {@code log},
 * {@code tanh}, {@code pow}), whose libm may round differently from Java's {@code Math}: there
 * within {@link #TRANSCENDENTAL_ULPS} per value (kernels.md states the same bound).
 */
class KernelArithmeticTest {
    /** The bound for values that pass through one transcendental of libm instead of Java's Math. */
    static final int TRANSCENDENTAL_ULPS = 1;

    /** The activations whose forward value goes through exp/log/tanh/pow. */
    private static final Set<Activation> TRANSCENDENTAL_FORWARD = EnumSet.of(Activation.LOGISTIC, Activation.LOGGY,
            Activation.ELU, Activation.SELU, Activation.TANH, Activation.MISH, Activation.SWISH, Activation.GELU);

    /** The activations whose gradient goes through exp/log/tanh/pow. */
    private static final Set<Activation> TRANSCENDENTAL_GRADIENT =
            EnumSet.of(Activation.MISH, Activation.SWISH, Activation.GELU);

    /** How far the parallel batch-norm statistics may be from the reference's float sums, relative to max(1, |value|). */
    static final float PARALLEL_STATISTICS_TOLERANCE = 1e-4f;

    /** (grid, block) pairs: one thread for everything, odd sizes, more threads than work. */
    private static final int[][] GRIDS = {{1, 1}, {3, 7}, {2, 32}, {257, 64}};

    private final ReferenceBackend reference = new ReferenceBackend();
    private final SplittableRandom random = new SplittableRandom(20261201);

    // ------------------------------------------------------------------ element-wise

    @Test
    void activationCodesAreTheEnumOrdinals() throws IOException {
        String ops = Files.readString(KernelHarness.KERNELS.resolve("ops.cuh"));
        String body = ops.substring(ops.indexOf("enum JdActivation {") + "enum JdActivation {".length());
        String[] names = body.substring(0, body.indexOf('}')).trim().split("\\s*,\\s*");
        assertEquals(Activation.values().length, names.length, "activation codes in ops.cuh");
        for (Activation activation : Activation.values()) {
            assertEquals("JD_" + activation.name(), names[activation.ordinal()], "code " + activation.ordinal());
        }
        assertEquals("JD_PJREDDIE", "JD_" + BatchNormStyle.values()[0].name());
        assertEquals("JD_ALEXEYAB", "JD_" + BatchNormStyle.values()[1].name());
        assertEquals(List.of("SSE", "L1", "SMOOTH"), List.of(CostFunction.values()).stream().map(Enum::name).toList());
    }

    @Test
    void everyActivationForward() throws Exception {
        float[] x = activationInputs();
        Shape shape = Shape.vector(x.length);
        for (Activation activation : Activation.values()) {
            Tensor t = tensor(shape, x);
            reference.apply(Epilogue.activation(activation), t);
            float[] expected = reference.download(t);
            List<float[]> actual = forEachGrid((script, grid) -> {
                int id = script.upload(x);
                script.launch("jd_activate", grid[0], grid[1], buffer(id), count(x.length),
                        integer(activation.ordinal()));
                return script.download(id);
            });
            int ulps = TRANSCENDENTAL_FORWARD.contains(activation) ? TRANSCENDENTAL_ULPS : 0;
            assertAllClose(activation + " forward", expected, actual, ulps);
        }
    }

    @Test
    void everyActivationGradient() throws Exception {
        float[] x = activationInputs();
        float[] delta = uniform(x.length, -3, 3);
        Shape shape = Shape.vector(x.length);
        for (Activation activation : Activation.values()) {
            Tensor forward = tensor(shape, x);
            reference.apply(Epilogue.activation(activation), forward);
            // the output of the forward pass, and arbitrary values where the gradient reads only y
            for (float[] y : List.of(reference.download(forward), x)) {
                boolean needsInput = activation.gradientNeedsInput();
                Tensor d = tensor(shape, delta);
                reference.activationGradient(activation, needsInput ? tensor(shape, x) : null, tensor(shape, y), d);
                float[] expected = reference.download(d);
                List<float[]> actual = forEachGrid((script, grid) -> {
                    KernelHarness.Argument input = needsInput ? buffer(script.upload(x)) : NULL;
                    int yId = script.upload(y);
                    int dId = script.upload(delta);
                    script.launch("jd_activation_gradient", grid[0], grid[1], input, buffer(yId), buffer(dId),
                            count(x.length), integer(activation.ordinal()));
                    return script.download(dId);
                });
                int ulps = TRANSCENDENTAL_GRADIENT.contains(activation) ? TRANSCENDENTAL_ULPS : 0;
                assertAllClose(activation + " gradient", expected, actual, ulps);
            }
        }
    }

    @Test
    void fillAxpyScale() throws Exception {
        float[] x = uniform(1001, -50, 50);
        float[] y = uniform(1001, -50, 50);
        Shape shape = Shape.vector(x.length);
        Tensor filled = tensor(shape, x);
        reference.fill(filled, -0.3f);
        Tensor axpy = tensor(shape, y);
        reference.axpy(0.37f, tensor(shape, x), axpy);
        Tensor scaled = tensor(shape, x);
        reference.scale(scaled, 0.9f);
        List<float[]> fills = forEachGrid((script, grid) -> {
            int id = script.upload(x);
            script.launch("jd_fill", grid[0], grid[1], buffer(id), count(x.length), real(-0.3f));
            return script.download(id);
        });
        List<float[]> axpys = forEachGrid((script, grid) -> {
            int xId = script.upload(x);
            int yId = script.upload(y);
            script.launch("jd_axpy", grid[0], grid[1], buffer(xId), buffer(yId), count(x.length), real(0.37f));
            return script.download(yId);
        });
        List<float[]> scales = forEachGrid((script, grid) -> {
            int id = script.upload(x);
            script.launch("jd_scale", grid[0], grid[1], buffer(id), count(x.length), real(0.9f));
            return script.download(id);
        });
        assertAllClose("fill", reference.download(filled), fills, 0);
        assertAllClose("axpy", reference.download(axpy), axpys, 0);
        assertAllClose("scale", reference.download(scaled), scales, 0);
    }

    @Test
    void epilogueInBothBatchNormStylesWithAndWithoutBias() throws Exception {
        for (Shape shape : List.of(new Shape(3, 5, 4, 7), new Shape(4, 9, 1, 1))) {
            int channels = shape.c();
            float[] x = uniform(shape.size(), -4, 4);
            float[] scales = uniform(channels, -2, 2);
            float[] mean = uniform(channels, -1, 1);
            float[] variance = uniform(channels, 0, 3);
            variance[0] = 0;
            variance[channels - 1] = 1e-9f;
            float[] biases = uniform(channels, -1, 1);
            for (BatchNormStyle style : BatchNormStyle.values()) {
                for (Activation activation : List.of(Activation.LEAKY, Activation.LINEAR, Activation.LOGISTIC)) {
                    for (boolean normalize : new boolean[] {true, false}) {
                        BatchNorm bn = normalize ? new BatchNorm(parameter(scales), parameter(mean),
                                parameter(variance), style) : null;
                        Tensor t = tensor(shape, x);
                        reference.apply(new Epilogue(bn, parameter(biases), activation), t);
                        List<float[]> actual = forEachGrid((script, grid) -> {
                            int id = script.upload(x);
                            KernelHarness.Argument[] norm = normalize
                                    ? new KernelHarness.Argument[] {buffer(script.upload(scales)),
                                            buffer(script.upload(mean)), buffer(script.upload(variance))}
                                    : new KernelHarness.Argument[] {NULL, NULL, NULL};
                            script.launch("jd_epilogue", grid[0], grid[1], buffer(id), count(x.length),
                                    integer(channels), integer(shape.h() * shape.w()), norm[0], norm[1], norm[2],
                                    integer(style.ordinal()), buffer(script.upload(biases)),
                                    integer(activation.ordinal()));
                            return script.download(id);
                        });
                        int ulps = TRANSCENDENTAL_FORWARD.contains(activation) ? TRANSCENDENTAL_ULPS : 0;
                        assertAllClose("epilogue " + shape + " " + style + " bn=" + normalize + " " + activation,
                                reference.download(t), actual, ulps);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ batch normalisation, training

    @Test
    void batchNormTrainingForwardAndBackwardInBothStyles() throws Exception {
        for (Shape shape : List.of(new Shape(2, 3, 5, 7), new Shape(5, 4, 1, 1), new Shape(3, 2, 9, 9))) {
            for (BatchNormStyle style : BatchNormStyle.values()) {
                BatchNormCase bn = new BatchNormCase(shape, style);
                for (int[] grid : GRIDS) {
                    bn.assertMatches("exact", bn.runExact(grid), grid, 0);
                }
            }
        }
    }

    /**
     * The parallel statistics (chunks summed in double) against the reference's float sums, within
     * {@link #PARALLEL_STATISTICS_TOLERANCE}, and the same for every grid.
     */
    @Test
    void batchNormParallelStatisticsInBothStyles() throws Exception {
        Object[][] cases = {{new Shape(2, 3, 5, 7), 4}, {new Shape(5, 4, 1, 1), 1}, {new Shape(3, 2, 9, 9), 81},
            {new Shape(8, 4, 32, 32), 100}, {new Shape(2, 3, 5, 7), 1000}};
        double worst = 0;
        for (Object[] c : cases) {
            for (BatchNormStyle style : BatchNormStyle.values()) {
                BatchNormCase bn = new BatchNormCase((Shape) c[0], style);
                int chunk = (int) c[1];
                List<float[]> first = bn.runParallel(GRIDS[0], chunk);
                worst = Math.max(worst, bn.assertMatches("parallel chunk " + chunk, first, GRIDS[0],
                        PARALLEL_STATISTICS_TOLERANCE));
                for (int g = 1; g < GRIDS.length; g++) {
                    List<float[]> other = bn.runParallel(GRIDS[g], chunk);
                    for (int i = 0; i < first.size(); i++) {
                        assertAllClose(bn.what + " parallel chunk " + chunk + " " + BatchNormCase.NAMES.get(i)
                                + " against grid 1x1", first.get(i), List.of(other.get(i)), 0);
                    }
                }
            }
        }
        System.err.println("parallel batch-norm statistics: largest relative difference from the reference " + worst);
    }

    /** Inputs of one batch-norm training step and the reference backend's results. */
    private final class BatchNormCase {
        static final List<String> NAMES = List.of("output", "input", "normalized", "mean", "variance",
                "rolling mean", "rolling variance", "input delta", "scale gradient", "mean delta", "variance delta");

        final Shape shape;
        final BatchNormStyle style;
        final String what;
        final float[] x;
        final float[] scales;
        final float[] rollingMean;
        final float[] rollingVariance;
        final float[] delta;
        final float[] scaleGradient;
        final List<float[]> expected;

        BatchNormCase(Shape shape, BatchNormStyle style) {
            this.shape = shape;
            this.style = style;
            this.what = "batch norm " + shape + " " + style;
            int c = shape.c();
            x = uniform(shape.size(), -3, 5);
            scales = uniform(c, -2, 2);
            rollingMean = uniform(c, -1, 1);
            rollingVariance = uniform(c, 0, 2);
            delta = uniform(shape.size(), -1, 1);
            scaleGradient = uniform(c, -1, 1);
            Shape vector = Shape.vector(c);
            BatchNormTraining state = new BatchNormTraining(parameter(scales), parameter(rollingMean),
                    parameter(rollingVariance), reference.allocateParameter(vector),
                    reference.allocateParameter(vector), reference.allocate(shape), reference.allocate(shape),
                    parameter(scaleGradient), reference.allocateParameter(vector),
                    reference.allocateParameter(vector), style);
            Tensor t = tensor(shape, x);
            reference.batchNormForward(state, t);
            Tensor d = tensor(shape, delta);
            float[] forward = reference.download(t);
            List<float[]> kept = List.of(reference.download(state.input()), reference.download(state.normalized()),
                    reference.download(state.mean()), reference.download(state.variance()),
                    reference.download(state.rollingMean()), reference.download(state.rollingVariance()));
            reference.batchNormBackward(state, d);
            List<float[]> all = new ArrayList<>(List.of(forward));
            all.addAll(kept);
            all.addAll(List.of(reference.download(d), reference.download(state.scaleGradient()),
                    reference.download(state.meanDelta()), reference.download(state.varianceDelta())));
            expected = all;
        }

        /** The buffers of one run, in the order of {@link #NAMES}. */
        private final class Buffers {
            final KernelHarness.Script script = new KernelHarness.Script();
            final int x = script.upload(BatchNormCase.this.x);
            final int saved = script.upload(new float[x().length]);
            final int normal = script.upload(new float[x().length]);
            final int mean = script.upload(new float[shape.c()]);
            final int variance = script.upload(new float[shape.c()]);
            final int rollingMean = script.upload(BatchNormCase.this.rollingMean);
            final int rollingVariance = script.upload(BatchNormCase.this.rollingVariance);
            final int delta = script.upload(BatchNormCase.this.delta);
            final int scaleGradient = script.upload(BatchNormCase.this.scaleGradient);
            final int meanDelta = script.upload(new float[shape.c()]);
            final int varianceDelta = script.upload(new float[shape.c()]);
            final int scales = script.upload(BatchNormCase.this.scales);

            private float[] x() {
                return BatchNormCase.this.x;
            }

            void normalize(int[] grid) {
                script.launch("jd_batchnorm_normalize", grid[0], grid[1], buffer(x), buffer(saved), buffer(normal),
                        buffer(mean), buffer(variance), buffer(scales), count(shape.size()), integer(shape.c()),
                        integer(spatial()), integer(style.ordinal()));
            }

            void backwardDelta(int[] grid) {
                script.launch("jd_batchnorm_backward_delta", grid[0], grid[1], buffer(delta), buffer(saved),
                        buffer(scales), buffer(mean), buffer(variance), buffer(meanDelta), buffer(varianceDelta),
                        count(shape.size()), integer(shape.n()), integer(shape.c()), integer(spatial()),
                        integer(style.ordinal()));
            }

            List<float[]> run() throws IOException, InterruptedException {
                for (int id : new int[] {x, saved, normal, mean, variance, rollingMean, rollingVariance, delta,
                        scaleGradient, meanDelta, varianceDelta}) {
                    script.download(id);
                }
                return script.run();
            }
        }

        int spatial() {
            return shape.h() * shape.w();
        }

        List<float[]> runExact(int[] grid) throws IOException, InterruptedException {
            Buffers b = new Buffers();
            b.script.launch("jd_batchnorm_statistics", grid[0], grid[1], buffer(b.x), buffer(b.mean),
                    buffer(b.variance), buffer(b.rollingMean), buffer(b.rollingVariance), integer(shape.n()),
                    integer(shape.c()), integer(spatial()));
            b.normalize(grid);
            b.script.launch("jd_batchnorm_backward_sums", grid[0], grid[1], buffer(b.delta), buffer(b.normal),
                    buffer(b.saved), buffer(b.scales), buffer(b.mean), buffer(b.variance), buffer(b.scaleGradient),
                    buffer(b.meanDelta), buffer(b.varianceDelta), integer(shape.n()), integer(shape.c()),
                    integer(spatial()), integer(style.ordinal()));
            b.backwardDelta(grid);
            return b.run();
        }

        List<float[]> runParallel(int[] grid, int chunk) throws IOException, InterruptedException {
            Buffers b = new Buffers();
            long items = (long) shape.n() * shape.c() * ((spatial() + chunk - 1) / chunk);
            // doubles: two floats each, three per item in backward
            int partials = b.script.upload(new float[(int) (2 * 3 * items)]);
            KernelHarness.Argument[] geometry = {integer(shape.n()), integer(shape.c()), integer(spatial()),
                integer(chunk)};
            KernelHarness.Argument planes = count((long) shape.n() * shape.c());
            b.script.launch("jd_chunk_sums", grid[0], grid[1], buffer(b.x), NULL, buffer(partials), planes,
                    integer(shape.c()), integer(spatial()), integer(chunk));
            b.script.launch("jd_batchnorm_mean_from_partials", grid[0], grid[1],
                    concat(new KernelHarness.Argument[] {buffer(partials), buffer(b.mean)}, geometry));
            b.script.launch("jd_chunk_sums", grid[0], grid[1], buffer(b.x), buffer(b.mean), buffer(partials), planes,
                    integer(shape.c()), integer(spatial()), integer(chunk));
            b.script.launch("jd_batchnorm_variance_from_partials", grid[0], grid[1],
                    concat(new KernelHarness.Argument[] {buffer(partials), buffer(b.mean), buffer(b.variance),
                        buffer(b.rollingMean), buffer(b.rollingVariance)}, geometry));
            b.normalize(grid);
            b.script.launch("jd_batchnorm_backward_partials", grid[0], grid[1], buffer(b.delta), buffer(b.normal),
                    buffer(b.saved), buffer(b.mean), buffer(partials), planes, integer(shape.c()),
                    integer(spatial()), integer(chunk));
            b.script.launch("jd_batchnorm_backward_from_partials", grid[0], grid[1],
                    concat(new KernelHarness.Argument[] {buffer(partials), buffer(b.scales), buffer(b.variance),
                        buffer(b.scaleGradient), buffer(b.meanDelta), buffer(b.varianceDelta)},
                        concat(geometry, new KernelHarness.Argument[] {integer(style.ordinal())})));
            b.backwardDelta(grid);
            return b.run();
        }

        /**
         * Bit for bit when {@code tolerance} is 0, else within it relative to max(1, |reference|);
         * returns the largest relative difference.
         */
        double assertMatches(String kind, List<float[]> actual, int[] grid, float tolerance) {
            double worst = 0;
            for (int i = 0; i < NAMES.size(); i++) {
                String name = what + " " + kind + " " + NAMES.get(i) + " grid " + grid[0] + "x" + grid[1];
                if (tolerance == 0) {
                    assertAllClose(name, expected.get(i), List.of(actual.get(i)), 0);
                } else {
                    worst = Math.max(worst, assertNear(name, expected.get(i), actual.get(i), tolerance));
                }
            }
            return worst;
        }
    }

    @Test
    void biasGradient() throws Exception {
        for (Shape shape : List.of(new Shape(3, 5, 4, 7), new Shape(6, 10, 1, 1), new Shape(1, 3, 13, 13))) {
            float[] delta = uniform(shape.size(), -1, 1);
            float[] gradient = uniform(shape.c(), -1, 1);
            Tensor g = parameter(gradient);
            reference.biasGradient(tensor(shape, delta), g);
            List<float[]> actual = forEachGrid((script, grid) -> {
                int gId = script.upload(gradient);
                script.launch("jd_bias_gradient", grid[0], grid[1], buffer(script.upload(delta)), buffer(gId),
                        integer(shape.n()), integer(shape.c()), integer(shape.h() * shape.w()));
                return script.download(gId);
            });
            // the parallel form kernels.md gives: plane sums, then the same kernel over planes of one value
            List<float[]> twoStep = forEachGrid((script, grid) -> {
                int gId = script.upload(gradient);
                int sums = script.upload(new float[shape.n() * shape.c()]);
                script.launch("jd_segment_sums", grid[0], grid[1], buffer(script.upload(delta)), buffer(sums),
                        count((long) shape.n() * shape.c()), count(shape.h() * shape.w()));
                script.launch("jd_bias_gradient", grid[0], grid[1], buffer(sums), buffer(gId), integer(shape.n()),
                        integer(shape.c()), integer(1));
                return script.download(gId);
            });
            assertAllClose("bias gradient " + shape, reference.download(g), actual, 0);
            assertAllClose("bias gradient from plane sums " + shape, reference.download(g), twoStep, 0);
        }
    }

    // ------------------------------------------------------------------ pooling

    @Test
    void maxPoolForwardAndBackwardWithDarknetsPadding() throws Exception {
        List<Shape> shapes = List.of(new Shape(2, 3, 7, 9), new Shape(1, 2, 13, 13), new Shape(2, 2, 6, 6),
                new Shape(1, 1, 5, 5));
        int[][] specs = {{2, 2, 1}, {2, 1, 1}, {3, 2, 2}, {3, 1, 2}, {5, 3, 4}, {2, 2, 0}, {3, 3, 0}, {3, 2, 5}};
        for (Shape shape : shapes) {
            for (int[] s : specs) {
                PoolSpec spec = new PoolSpec(shape, s[0], s[1], s[2]);
                if (spec.outputHeight() >= 1 && spec.outputWidth() >= 1) {
                    checkMaxPool(spec);
                }
            }
        }
    }

    private void checkMaxPool(PoolSpec spec) throws Exception {
        Shape in = spec.input();
        Shape out = spec.output();
        // few distinct values, so windows have ties; a few -inf, so some windows have no maximum
        float[] x = new float[in.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(20) == 0 ? Float.NEGATIVE_INFINITY : (random.nextInt(7) - 3) / 2f;
        }
        float[] delta = uniform(out.size(), -1, 1);
        float[] inputDelta = uniform(in.size(), -1, 1);
        Tensor output = reference.allocate(out);
        reference.maxPool(spec, tensor(in, x), output);
        Tensor id = tensor(in, inputDelta);
        reference.maxPoolBackward(spec, tensor(in, x), tensor(out, delta), id);
        KernelHarness.Argument[] geometry = {count((long) in.n() * in.c()), integer(in.h()), integer(in.w()),
                integer(out.h()), integer(out.w()), integer(spec.size()), integer(spec.stride()),
                integer(spec.offset())};
        List<float[]> forward = forEachGrid((script, grid) -> {
            int o = script.upload(new float[out.size()]);
            script.launch("jd_maxpool_forward", grid[0], grid[1],
                    concat(new KernelHarness.Argument[] {buffer(script.upload(x)), buffer(o)}, geometry));
            return script.download(o);
        });
        List<float[]> backward = forEachGrid((script, grid) -> {
            int d = script.upload(inputDelta);
            script.launch("jd_maxpool_backward", grid[0], grid[1], concat(new KernelHarness.Argument[] {
                    buffer(script.upload(x)), buffer(script.upload(delta)), buffer(d)}, geometry));
            return script.download(d);
        });
        String what = "maxpool " + in + " size " + spec.size() + " stride " + spec.stride() + " padding "
                + spec.padding();
        assertAllClose(what + " forward", reference.download(output), forward, 0);
        assertAllClose(what + " backward", reference.download(id), backward, 0);
    }

    @Test
    void averagePoolForwardAndBackward() throws Exception {
        for (Shape shape : List.of(new Shape(2, 3, 7, 7), new Shape(3, 5, 1, 1), new Shape(2, 7, 6, 5))) {
            Shape pooled = new Shape(shape.n(), shape.c(), 1, 1);
            int spatial = shape.h() * shape.w();
            float[] x = uniform(shape.size(), -5, 5);
            float[] delta = uniform(pooled.size(), -1, 1);
            float[] inputDelta = uniform(shape.size(), -1, 1);
            Tensor out = reference.allocate(pooled);
            reference.averagePool(tensor(shape, x), out);
            Tensor id = tensor(shape, inputDelta);
            reference.averagePoolBackward(tensor(pooled, delta), id);
            long planes = (long) shape.n() * shape.c();
            List<float[]> forward = forEachGrid((script, grid) -> {
                int o = script.upload(new float[pooled.size()]);
                script.launch("jd_avgpool_forward", grid[0], grid[1], buffer(script.upload(x)), buffer(o),
                        count(planes), integer(spatial));
                return script.download(o);
            });
            List<float[]> backward = forEachGrid((script, grid) -> {
                int d = script.upload(inputDelta);
                script.launch("jd_avgpool_backward", grid[0], grid[1], buffer(script.upload(delta)), buffer(d),
                        count(planes), integer(spatial));
                return script.download(d);
            });
            assertAllClose("avgpool forward " + shape, reference.download(out), forward, 0);
            assertAllClose("avgpool backward " + shape, reference.download(id), backward, 0);
        }
    }

    // ------------------------------------------------------------------ shape-changing copies

    @Test
    void shortcutAcrossShapes() throws Exception {
        Shape[][] pairs = {
            {new Shape(2, 4, 6, 6), new Shape(2, 4, 6, 6)},   // same shape (resnet, darknet53)
            {new Shape(2, 4, 6, 6), new Shape(2, 8, 3, 3)},   // larger source, more output channels
            {new Shape(2, 8, 3, 3), new Shape(2, 4, 6, 6)},   // smaller source into a larger output
            {new Shape(2, 3, 5, 5), new Shape(2, 6, 5, 5)},   // different channels
            {new Shape(1, 5, 7, 7), new Shape(1, 3, 7, 7)},
            {new Shape(3, 2, 9, 9), new Shape(3, 2, 3, 3)},
        };
        for (Shape[] pair : pairs) {
            for (float[] weights : new float[][] {{1, 1}, {0.7f, 1.3f}}) {
                Shape from = pair[0];
                Shape to = pair[1];
                float[] add = uniform(from.size(), -2, 2);
                float[] out = uniform(to.size(), -2, 2);
                Tensor o = tensor(to, out);
                reference.shortcut(tensor(from, add), weights[0], weights[1], o);
                List<float[]> actual = forEachGrid((script, grid) -> {
                    int id = script.upload(out);
                    script.launch("jd_shortcut", grid[0], grid[1], buffer(script.upload(add)), buffer(id),
                            integer(to.n()), integer(from.c()), integer(from.h()), integer(from.w()), integer(to.c()),
                            integer(to.h()), integer(to.w()), real(weights[0]), real(weights[1]));
                    return script.download(id);
                });
                assertAllClose("shortcut " + from + " -> " + to + " alpha " + weights[0], reference.download(o),
                        actual, 0);
            }
        }
    }

    @Test
    void routeCopiesAndAddsChannels() throws Exception {
        Shape part = new Shape(2, 3, 4, 5);
        Shape whole = new Shape(2, 8, 4, 5);
        int spatial = part.h() * part.w();
        for (int offset : new int[] {0, 2, 5}) {
            float[] source = uniform(part.size(), -1, 1);
            float[] destination = uniform(whole.size(), -1, 1);
            Tensor copied = tensor(whole, destination);
            reference.copyChannels(tensor(part, source), copied, offset);
            Tensor added = tensor(part, source);
            reference.addChannels(tensor(whole, destination), offset, added);
            List<float[]> copies = forEachGrid((script, grid) -> {
                int d = script.upload(destination);
                script.launch("jd_copy_channels", grid[0], grid[1], buffer(script.upload(source)), buffer(d),
                        integer(part.n()), count(part.itemSize()), count(whole.itemSize()),
                        count((long) offset * spatial));
                return script.download(d);
            });
            List<float[]> sums = forEachGrid((script, grid) -> {
                int d = script.upload(source);
                script.launch("jd_add_channels", grid[0], grid[1], buffer(script.upload(destination)), buffer(d),
                        integer(part.n()), count(whole.itemSize()), count(part.itemSize()),
                        count((long) offset * spatial));
                return script.download(d);
            });
            assertAllClose("copy channels at " + offset, reference.download(copied), copies, 0);
            assertAllClose("add channels from " + offset, reference.download(added), sums, 0);
        }
    }

    @Test
    void cropWithAndWithoutFlip() throws Exception {
        Shape in = new Shape(2, 3, 9, 11);
        float[] x = uniform(in.size(), -1, 1);
        int[][] windows = {{5, 6, 2, 3}, {9, 11, 0, 0}, {4, 4, 5, 7}};
        for (int[] window : windows) {
            Shape out = new Shape(in.n(), in.c(), window[0], window[1]);
            for (boolean flip : new boolean[] {false, true}) {
                Tensor o = reference.allocate(out);
                reference.crop(tensor(in, x), window[2], window[3], flip, 2f, -1f, o);
                List<float[]> actual = forEachGrid((script, grid) -> {
                    int id = script.upload(new float[out.size()]);
                    script.launch("jd_crop", grid[0], grid[1], buffer(script.upload(x)), buffer(id),
                            count((long) in.n() * in.c()), integer(in.h()), integer(in.w()), integer(out.h()),
                            integer(out.w()), integer(window[2]), integer(window[3]), integer(flip ? 1 : 0),
                            real(2f), real(-1f));
                    return script.download(id);
                });
                assertAllClose("crop " + out + " at " + window[2] + "," + window[3] + " flip " + flip,
                        reference.download(o), actual, 0);
            }
        }
    }

    // ------------------------------------------------------------------ softmax, losses, dropout

    @Test
    void softmaxWithGroupsAndTemperature() throws Exception {
        Object[][] cases = {
            {new Shape(3, 10, 1, 1), 1, 1f}, {new Shape(2, 12, 1, 7), 3, 1f}, {new Shape(2, 1000, 1, 1), 1, 0.5f},
            {new Shape(4, 7, 1, 1), 7, 1f}, {new Shape(2, 30, 1, 1), 5, 2.3f},
        };
        for (Object[] c : cases) {
            Shape shape = (Shape) c[0];
            int groups = (int) c[1];
            float temperature = (float) c[2];
            float[] x = uniform(shape.size(), -10, 10);
            Tensor out = reference.allocate(shape);
            reference.softmax(tensor(shape, x), groups, temperature, out);
            int groupSize = shape.itemSize() / groups;
            List<float[]> actual = forEachGrid((script, grid) -> {
                int o = script.upload(new float[x.length]);
                script.launch("jd_softmax", grid[0], grid[1], buffer(script.upload(x)), buffer(o),
                        count((long) shape.n() * groups), integer(groupSize), real(temperature));
                return script.download(o);
            });
            // each value is one exp times 1/sum: one ulp from its exp, at most one more from the sum
            assertAllClose("softmax " + shape + " groups " + groups + " t " + temperature, reference.download(out),
                    actual, 2 * TRANSCENDENTAL_ULPS);
        }
    }

    @Test
    void softmaxCrossEntropyDeltaAndLoss() throws Exception {
        Shape shape = new Shape(5, 37, 1, 1);
        float[] logits = uniform(shape.size(), -6, 6);
        Tensor p = reference.allocate(shape);
        reference.softmax(tensor(shape, logits), 1, 1, p);
        float[] probabilities = reference.download(p);
        float[] oneHot = new float[shape.size()];
        float[] soft = uniform(shape.size(), 0, 1);
        for (int b = 0; b < shape.n(); b++) {
            oneHot[b * shape.c() + random.nextInt(shape.c())] = 1;
            soft[b * shape.c() + random.nextInt(shape.c())] = 0;
        }
        for (float[] truth : List.of(oneHot, soft)) {
            Tensor delta = reference.allocate(shape);
            float loss = reference.softmaxCrossEntropy(tensor(shape, probabilities), tensor(shape, truth), delta);
            List<float[]> results = new ArrayList<>();
            for (int[] grid : GRIDS) {
                KernelHarness.Script script = new KernelHarness.Script();
                int d = script.upload(new float[shape.size()]);
                int terms = script.upload(new float[shape.size()]);
                int total = script.upload(new float[1]);
                script.launch("jd_softmax_cross_entropy", grid[0], grid[1], buffer(script.upload(probabilities)),
                        buffer(script.upload(truth)), buffer(d), buffer(terms), count(shape.size()));
                script.launch("jd_segment_sums", grid[0], grid[1], buffer(terms), buffer(total), count(1),
                        count(shape.size()));
                script.download(d);
                script.download(total);
                List<float[]> out = script.run();
                assertAllClose("cross-entropy delta", reference.download(delta), List.of(out.get(0)), 0);
                results.add(out.get(1));
            }
            // the sum of terms that are each within one ulp of the reference's -log(p)
            assertAllClose("cross-entropy loss", new float[] {loss}, results, shape.size() * TRANSCENDENTAL_ULPS);
        }
    }

    @Test
    void everyCostFunction() throws Exception {
        float[] prediction = uniform(1003, -3, 3);
        float[] truth = uniform(1003, -3, 3);
        Shape shape = Shape.vector(prediction.length);
        for (CostFunction function : CostFunction.values()) {
            Tensor delta = reference.allocate(shape);
            float total = reference.cost(function, tensor(shape, prediction), tensor(shape, truth), delta);
            for (int[] grid : GRIDS) {
                KernelHarness.Script script = new KernelHarness.Script();
                int d = script.upload(new float[shape.size()]);
                int errors = script.upload(new float[shape.size()]);
                int sum = script.upload(new float[1]);
                script.launch("jd_cost", grid[0], grid[1], buffer(script.upload(prediction)),
                        buffer(script.upload(truth)), buffer(d), buffer(errors), count(shape.size()),
                        integer(function.ordinal()));
                script.launch("jd_segment_sums", grid[0], grid[1], buffer(errors), buffer(sum), count(1),
                        count(shape.size()));
                script.download(d);
                script.download(sum);
                List<float[]> out = script.run();
                assertAllClose(function + " delta", reference.download(delta), List.of(out.get(0)), 0);
                assertAllClose(function + " total", new float[] {total}, List.of(out.get(1)), 0);
            }
        }
    }

    @Test
    void dropoutMaskAndScalingMatchTheReferenceStream() throws Exception {
        Shape shape = Shape.vector(10007);
        float[] x = uniform(shape.size(), -2, 2);
        float[] delta = uniform(shape.size(), -2, 2);
        for (float probability : new float[] {0.25f, 0.5f, 0.1f}) {
            for (long seed : new long[] {42, -7, Long.MIN_VALUE, 0x9e3779b97f4a7c15L}) {
                Tensor t = tensor(shape, x);
                Tensor mask = reference.allocate(shape);
                reference.dropout(t, mask, probability, seed);
                Tensor d = tensor(shape, delta);
                reference.dropoutBackward(mask, probability, d);
                for (int[] grid : GRIDS) {
                    KernelHarness.Script script = new KernelHarness.Script();
                    int xId = script.upload(x);
                    int maskId = script.upload(new float[x.length]);
                    int dId = script.upload(delta);
                    script.launch("jd_dropout_forward", grid[0], grid[1], buffer(xId), buffer(maskId),
                            count(x.length), real(probability), count(seed));
                    script.launch("jd_dropout_backward", grid[0], grid[1], buffer(maskId), buffer(dId),
                            count(x.length), real(probability));
                    script.download(xId);
                    script.download(maskId);
                    script.download(dId);
                    List<float[]> out = script.run();
                    String what = "dropout p " + probability + " seed " + seed + " grid " + grid[0] + "x" + grid[1];
                    assertAllClose(what + " output", reference.download(t), List.of(out.get(0)), 0);
                    assertAllClose(what + " mask", reference.download(mask), List.of(out.get(1)), 0);
                    assertAllClose(what + " backward", reference.download(d), List.of(out.get(2)), 0);
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface GridCase {
        /** Adds one grid's uploads and launches to the script; returns the index of the download to check. */
        int build(KernelHarness.Script script, int[] grid);
    }

    /** Runs the same case once per grid of {@link #GRIDS}, all in one harness run; the results in grid order. */
    private static List<float[]> forEachGrid(GridCase gridCase) throws IOException, InterruptedException {
        KernelHarness.Script script = new KernelHarness.Script();
        int[] downloads = new int[GRIDS.length];
        for (int g = 0; g < GRIDS.length; g++) {
            downloads[g] = gridCase.build(script, GRIDS[g]);
        }
        List<float[]> results = script.run();
        List<float[]> ordered = new ArrayList<>();
        for (int download : downloads) {
            ordered.add(results.get(download));
        }
        return ordered;
    }

    /**
     * Fails unless every result equals {@code expected} within {@code ulps} units in the last place
     * (0: bit for bit, +0 and -0 distinct; NaNs equal whatever their payload). Prints how many
     * values were not identical, so a bound that is never used shows.
     */
    static void assertAllClose(String what, float[] expected, List<float[]> results, int ulps) {
        for (float[] actual : results) {
            assertEquals(expected.length, actual.length, what + ": length");
            int inexact = 0;
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i])) {
                    continue;
                }
                inexact++;
                if (ulps == 0 || ulpDistance(expected[i], actual[i]) > ulps) {
                    fail(what + ": value " + i + " is " + actual[i] + " (" + Integer.toHexString(
                            Float.floatToIntBits(actual[i])) + "), reference " + expected[i] + " ("
                            + Integer.toHexString(Float.floatToIntBits(expected[i])) + "), bound " + ulps + " ulp");
                }
            }
            if (inexact > 0) {
                System.err.println(what + ": " + inexact + " of " + expected.length + " values within " + ulps
                        + " ulp, not identical");
            }
        }
    }

    /**
     * Fails unless every value is within {@code tolerance} of the reference's, relative to
     * max(1, |reference|); returns the largest such difference.
     */
    static double assertNear(String what, float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs((double) actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            if (!(error <= tolerance)) {
                fail(what + ": value " + i + " is " + actual[i] + ", reference " + expected[i] + ", tolerance "
                        + tolerance);
            }
            worst = Math.max(worst, error);
        }
        return worst;
    }

    /** Distance in representable floats; infinite (Long.MAX_VALUE) when only one is NaN. */
    static long ulpDistance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float value) {
        int bits = Float.floatToIntBits(value);
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }

    /**
     * Inputs for the activations: every branch point and its neighbours, zeros of both signs,
     * subnormals, huge values, infinities, NaN, a dense sweep over [-25, 25] and random finite floats.
     */
    private float[] activationInputs() {
        List<Float> special = new ArrayList<>();
        for (float point : new float[] {0, 0.5f, 1, 2, 4, 6, 20, 1e-30f, 1e-45f, 1e30f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY}) {
            for (float value : new float[] {point, Math.nextUp(point), Math.nextDown(point)}) {
                special.add(value);
                special.add(-value);
            }
        }
        special.add(Float.NaN);
        float[] x = new float[special.size() + 60000];
        for (int i = 0; i < special.size(); i++) {
            x[i] = special.get(i);
        }
        for (int i = special.size(); i < x.length; i++) {
            x[i] = i % 2 == 0 ? (float) random.nextDouble(-25, 25) : randomFiniteFloat();
        }
        return x;
    }

    /** A float of random bits, its exponent changed where the bits would be an infinity or NaN. */
    private float randomFiniteFloat() {
        int bits = random.nextInt();
        return Float.intBitsToFloat((bits & 0x7f800000) == 0x7f800000 ? bits ^ 0x40000000 : bits);
    }

    private float[] uniform(int length, double low, double high) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextDouble(low, high);
        }
        return values;
    }

    private Tensor tensor(Shape shape, float[] values) {
        Tensor tensor = reference.allocate(shape);
        reference.upload(values.clone(), tensor);
        return tensor;
    }

    private Tensor parameter(float[] values) {
        Tensor tensor = reference.allocateParameter(Shape.vector(values.length));
        reference.upload(values.clone(), tensor);
        return tensor;
    }

    private static KernelHarness.Argument[] concat(KernelHarness.Argument[] first, KernelHarness.Argument[] second) {
        KernelHarness.Argument[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
