package org.jdarknet.backend;

import static org.jdarknet.backend.BackendPair.random;

import java.util.Arrays;
import org.jdarknet.backend.BackendPair.Epilogues;
import org.jdarknet.backend.BackendPair.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Convolutions with their fused epilogues against the reference backend, in each variant of the
 * tested backend: darknet's geometries (strides, paddings, groups, 1×1), every activation (for
 * the cpu backend: oneDNN post-ops and the Java ones), both batch-norm styles, and weights that
 * change after the first pass. Within {@link Tolerances#linear}.
 */
public abstract class ConvolutionConformance extends BackendConformance {

    @ParameterizedTest
    @CsvSource({
        // channels, height, width, filters, size, stride, padding, groups, batch
        "3, 17, 19, 32, 3, 1, 1, 1, 1",     // the first layer: planar input
        "3, 32, 32, 16, 3, 2, 1, 1, 2",
        "16, 12, 12, 32, 1, 1, 0, 1, 1",    // 1x1
        "32, 13, 13, 64, 3, 2, 1, 1, 1",    // odd size, stride 2
        "20, 9, 9, 20, 3, 1, 1, 1, 2",      // padded channel blocks in and out
        "64, 9, 7, 24, 5, 1, 2, 1, 1",
        "32, 16, 16, 32, 3, 1, 1, 4, 1",    // groups
        "32, 10, 10, 32, 3, 1, 1, 32, 1",   // depthwise
        "48, 8, 8, 24, 3, 1, 1, 3, 1",      // groups of 16 channels to 8 filters
        "24, 11, 11, 12, 7, 3, 3, 2, 1",
        "16, 8, 8, 8, 2, 2, 0, 1, 1",       // an even kernel, no padding
        "8, 6, 6, 16, 3, 1, 0, 1, 1",       // valid convolution
        "16, 6, 5, 16, 1, 2, 0, 1, 1",      // 1x1 stride 2: darknet rounds the size down
        "16, 5, 5, 16, 3, 1, 3, 1, 1"})     // padding larger than the kernel reach
    void geometry(int channels, int height, int width, int filters, int size, int stride, int padding, int groups,
                  int batch) {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = new ConvolutionSpec(new Shape(batch, channels, height, width), filters, size, stride,
                    padding, groups);
            Epilogues epilogue = backends.epilogue(filters, BatchNormStyle.PJREDDIE, true, Activation.LEAKY);
            assertConvolution(backends, spec, epilogue, spec.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void everyActivationFusedOrAfterwards(Activation activation) {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, 16, 9, 9), 20, 3, 1, 1, 1);
            Epilogues epilogue = backends.epilogue(20, BatchNormStyle.ALEXEYAB, true, activation);
            assertConvolution(backends, spec, epilogue, activation.cfgName());
        }
    }

    @ParameterizedTest
    @CsvSource({"PJREDDIE, true", "ALEXEYAB, true", ", true", ", false"})
    void epilogues(BatchNormStyle style, boolean biased) {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = new ConvolutionSpec(new Shape(2, 32, 8, 8), 64, 3, 1, 1, 1);
            Epilogues epilogue = backends.epilogue(64, style, biased, Activation.LINEAR);
            assertConvolution(backends, spec, epilogue, style + " bias=" + biased);
        }
    }

    /**
     * An epilogue ending with a residual ({@link Epilogue.Residual}): fused as post-ops where the
     * backend can (oneDNN's activations, equal layouts, {@code beta != 0}), composed otherwise
     * (an activation oneDNN lacks, {@code beta = 0}); a 3×3 convolution with a padded channel
     * block and a 1×1 one, batches of two.
     */
    @ParameterizedTest
    @CsvSource({
        // activation, residual's activation, alpha, beta, 1x1
        "LEAKY, LINEAR, 1, 1, false",
        "LEAKY, LINEAR, 1, 1, true",
        "LINEAR, LEAKY, 1, 1, false",
        "LEAKY, LEAKY, 0.5, 2, true",
        "LINEAR, LINEAR, 2, 0.5, false",
        "LEAKY, LINEAR, 1.5, 1.5, true",
        "LINEAR, LEAKY, 1, 0, false",
        "RAMP, LEAKY, 1, 1, true",
        "LOGISTIC, STAIR, 1, 1, false"})
    void residual(Activation activation, Activation residualActivation, float alpha, float beta, boolean pointwise) {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = pointwise ? new ConvolutionSpec(new Shape(2, 32, 8, 8), 32, 1, 1, 0, 1)
                    : new ConvolutionSpec(new Shape(2, 16, 9, 9), 20, 3, 1, 1, 1);
            Epilogues epilogue = backends.epilogue(spec.filters(), BatchNormStyle.PJREDDIE, true, activation);
            Pair from = backends.activation(spec.output(), random(7, spec.output().size(), 1));
            Epilogues residual = epilogue.withResidual(from, alpha, beta, residualActivation);
            assertConvolution(backends, spec, residual, activation.cfgName() + " then " + alpha + "*y + " + beta
                    + "*from, " + residualActivation.cfgName() + (pointwise ? ", 1x1" : ""));
        }
    }

    /**
     * A residual whose {@code from} has another shape, darknet's sampled sum (the resnets' first
     * block of each stage): larger with fewer channels (read at every second cell), smaller with
     * more (added at every second cell), as large with fewer; {@code alpha = 1}, which a backend may
     * fuse, and 0.5, which scales only the cells the sum adds to.
     */
    @ParameterizedTest
    @CsvSource({"16, 16, 16, 1", "48, 4, 4, 1", "16, 8, 8, 1", "16, 16, 16, 0.5"})
    void sampledResidual(int channels, int height, int width, float alpha) {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = new ConvolutionSpec(new Shape(2, 16, 8, 8), 32, 1, 1, 0, 1);
            Epilogues epilogue = backends.epilogue(spec.filters(), BatchNormStyle.PJREDDIE, true, Activation.LINEAR);
            Shape added = new Shape(2, channels, height, width);
            Pair from = backends.activation(added, random(7, added.size(), 1));
            assertConvolution(backends, spec, epilogue.withResidual(from, alpha, 1, Activation.LEAKY),
                    alpha + "*y + from of " + added + ", leaky");
        }
    }

    @Test
    void changedParametersAreNoticed() {
        for (BackendPair backends : pairs) {
            ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, 16, 8, 8), 32, 3, 1, 1, 1);
            Pair input = backends.activation(spec.input(), random(1, spec.input().size(), 1));
            Pair weights = backends.parameter(spec.weights(), random(2, spec.weights().size(), 0.1));
            Epilogues epilogue = backends.epilogue(32, BatchNormStyle.PJREDDIE, true, Activation.LOGISTIC);
            Pair output = backends.activation(spec.output());
            try (Convolution reference = backends.reference.convolution(spec);
                 Convolution tested = backends.tested.convolution(spec)) {
                tested.forward(input.tested(), weights.tested(), epilogue.tested(), output.tested());
                backends.upload(random(3, spec.weights().size(), 0.1), weights);
                float[] variance = new float[32];
                Arrays.fill(variance, 4);
                backends.upload(variance,
                        new Pair(epilogue.reference().batchNorm().variance(), epilogue.tested().batchNorm().variance()));
                reference.forward(input.reference(), weights.reference(), epilogue.reference(), output.reference());
                tested.forward(input.tested(), weights.tested(), epilogue.tested(), output.tested());
                backends.assertClose(output, tolerances().linear(), "after new weights and variances");
            }
        }
    }

    private void assertConvolution(BackendPair backends, ConvolutionSpec spec, Epilogues epilogue, String what) {
        Pair input = backends.activation(spec.input(), random(spec.filters(), spec.input().size(), 1));
        double fanIn = spec.weights().itemSize();
        Pair weights = backends.parameter(spec.weights(), random(spec.size(), spec.weights().size(), Math.sqrt(1 / fanIn)));
        Pair output = backends.activation(spec.output());
        try (Convolution reference = backends.reference.convolution(spec);
             Convolution tested = backends.tested.convolution(spec)) {
            reference.forward(input.reference(), weights.reference(), epilogue.reference(), output.reference());
            tested.forward(input.tested(), weights.tested(), epilogue.tested(), output.tested());
        }
        backends.assertClose(output, tolerances().linear(), what);
    }
}
