package org.jdarknet.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * One convolution layer as plain Java arrays (input, weights, darknet's batch normalisation and
 * bias, activation), to run on any backend, and its batch normalisation folded into the weights
 * and bias in double, as an oracle independent of the backend's own folding.
 *
 * @param scales null for a layer without batch normalisation (then mean and variance are null too)
 */
record ConvolutionCase(ConvolutionSpec spec, float[] input, float[] weights, float[] scales, float[] mean,
                       float[] variance, float[] biases, Activation activation) {

    /** Seeded values as trained networks have them: inputs ~N(0,1), weights ~N(0, 1/fan-in), scales near 1. */
    static ConvolutionCase random(ConvolutionSpec spec, boolean batchNorm, Activation activation, long seed) {
        int filters = spec.filters();
        double fanIn = spec.weights().itemSize();
        return new ConvolutionCase(spec, BackendPair.random(seed, spec.input().size(), 1),
                BackendPair.random(seed + 1, spec.weights().size(), Math.sqrt(1 / fanIn)),
                batchNorm ? around(seed + 2, filters, 1, 0.15) : null,
                batchNorm ? BackendPair.random(seed + 3, filters, 0.2) : null,
                batchNorm ? around(seed + 4, filters, 1, 0.2) : null,
                BackendPair.random(seed + 5, filters, 0.1), activation);
    }

    /** The largest |input|: what a calibration over this one input would measure. */
    float inputRange() {
        float largest = 0;
        for (float x : input) {
            largest = Math.max(largest, Math.abs(x));
        }
        return largest;
    }

    ConvolutionCase withSpec(ConvolutionSpec other) {
        return new ConvolutionCase(other, input, weights, scales, mean, variance, biases, activation);
    }

    /** This layer reading {@code other} instead of its own input (of the same shape). */
    ConvolutionCase withInput(float[] other) {
        return new ConvolutionCase(spec, other, weights, scales, mean, variance, biases, activation);
    }

    /**
     * One pass of this layer on {@code backend} from {@code in} into {@code out}, tensors the caller
     * allocated (either may be a quantised tensor, {@code Backend.allocateQuantised}) and closes,
     * the epilogue ending with {@code residual} (null: none).
     */
    void forward(Backend backend, Tensor in, Tensor out, Residual residual) {
        List<Tensor> tensors = new ArrayList<>();
        try {
            forward(backend, in, out, withResidual(epilogue(backend, tensors), backend, tensors, residual), tensors);
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    /**
     * The same, the epilogue ending with {@code residual}, whose {@code from} the caller allocated
     * (a quantised tensor among them) and closes.
     */
    void forwardAdding(Backend backend, Tensor in, Tensor out, Epilogue.Residual residual) {
        List<Tensor> tensors = new ArrayList<>();
        try {
            forward(backend, in, out, epilogue(backend, tensors).withResidual(residual), tensors);
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    private void forward(Backend backend, Tensor in, Tensor out, Epilogue epilogue, List<Tensor> tensors) {
        try (Convolution convolution = backend.convolution(spec)) {
            Tensor w = upload(backend, tensors, backend.allocateParameter(spec.weights()), weights);
            convolution.forward(in, w, epilogue, out);
        }
    }

    /** The output of this layer computed by {@code backend}, with {@code spec} (which may carry an input range). */
    float[] run(Backend backend) {
        return run(backend, null);
    }

    /**
     * The outputs of two passes of one prepared convolution: with {@code layer}'s values, then
     * after uploading {@code weights} and {@code variance} into its tensors.
     */
    static float[][] runTwice(Backend backend, ConvolutionCase layer, float[] weights, float[] variance) {
        return layer.passes(backend, weights, variance, null).toArray(float[][]::new);
    }

    /** A residual's values: {@code from} (the output's shape), its factors and activation. */
    record Residual(float[] from, float alpha, float beta, Activation activation) {
    }

    /** One pass, the epilogue ending with {@code residual}. */
    float[] run(Backend backend, Residual residual) {
        return passes(backend, null, null, residual).get(0);
    }

    private List<float[]> passes(Backend backend, float[] laterWeights, float[] laterVariance, Residual residual) {
        List<Tensor> tensors = new ArrayList<>();
        List<float[]> outputs = new ArrayList<>();
        try {
            Tensor in = upload(backend, tensors, backend.allocate(spec.input()), input);
            Tensor w = upload(backend, tensors, backend.allocateParameter(spec.weights()), weights);
            Tensor out = upload(backend, tensors, backend.allocate(spec.output()), new float[spec.output().size()]);
            Epilogue epilogue = withResidual(epilogue(backend, tensors), backend, tensors, residual);
            try (Convolution convolution = backend.convolution(spec)) {
                convolution.forward(in, w, epilogue, out);
                outputs.add(backend.download(out));
                if (laterWeights != null) {
                    backend.upload(laterWeights, w);
                    backend.upload(laterVariance, epilogue.batchNorm().variance());
                    convolution.forward(in, w, epilogue, out);
                    outputs.add(backend.download(out));
                }
            }
            return outputs;
        } finally {
            tensors.forEach(Tensor::close);
        }
    }

    /** {@code epilogue} ending with {@code residual} (none when null), its {@code from} uploaded. */
    private Epilogue withResidual(Epilogue epilogue, Backend backend, List<Tensor> tensors, Residual residual) {
        if (residual == null) {
            return epilogue;
        }
        Tensor from = upload(backend, tensors, backend.allocate(spec.output()), residual.from());
        return epilogue.withResidual(new Epilogue.Residual(from, residual.alpha(), residual.beta(), residual.activation()));
    }

    private Epilogue epilogue(Backend backend, List<Tensor> tensors) {
        Tensor bias = parameter(backend, tensors, biases);
        if (scales == null) {
            return new Epilogue(null, bias, activation);
        }
        BatchNorm batchNorm = new BatchNorm(parameter(backend, tensors, scales), parameter(backend, tensors, mean),
                parameter(backend, tensors, variance), BatchNormStyle.PJREDDIE);
        return new Epilogue(batchNorm, bias, activation);
    }

    private static Tensor parameter(Backend backend, List<Tensor> tensors, float[] values) {
        return upload(backend, tensors, backend.allocateParameter(Shape.vector(values.length)),
                values);
    }

    private static Tensor upload(Backend backend, List<Tensor> tensors, Tensor tensor, float[] values) {
        tensors.add(tensor);
        backend.upload(values, tensor);
        return tensor;
    }

    /** {@code scale/stddev} per filter, in double (ones without batch normalisation). */
    private double multiplier(int filter) {
        return scales == null ? 1 : scales[filter] * BatchNormStyle.PJREDDIE.inverseStddev(variance[filter]);
    }

    /** The weights with batch normalisation folded in, rounded to float once. */
    float[] foldedWeights() {
        float[] folded = new float[weights.length];
        int perFilter = weights.length / spec.filters();
        for (int i = 0; i < weights.length; i++) {
            folded[i] = (float) (weights[i] * multiplier(i / perFilter));
        }
        return folded;
    }

    /** The bias with batch normalisation folded in: {@code bias - mean * multiplier}. */
    float[] foldedBiases() {
        float[] folded = new float[biases.length];
        for (int f = 0; f < biases.length; f++) {
            folded[f] = (float) (biases[f] - (scales == null ? 0 : mean[f] * multiplier(f)));
        }
        return folded;
    }

    /** |centre + N(0, spread)|: positive values near {@code centre}. */
    private static float[] around(long seed, int count, double centre, double spread) {
        float[] values = BackendPair.random(seed, count, spread);
        for (int i = 0; i < count; i++) {
            values[i] = (float) Math.abs(values[i] + centre);
        }
        return values;
    }
}
