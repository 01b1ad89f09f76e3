package org.jdarknet.bench.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.Resize;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kernel-level timings, the reference backend beside the cpu backend on the same operation
 * (`make jmh`). They answer what `jdarknet benchmark --layers` cannot: how one kernel behaves on
 * its own, without the layers around it, and how far the fast path is from the readable one.
 * Each kernel is one that dominated a measured profile: darknet53's 3×3 convolutions (inference),
 * max-pool backward (a Java pass in the cpu backend's training step), and the letterbox resize
 * (the Java half of a one-image {@code classify}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmarks {

    /** One backend with random inputs of a given shape; closed after each trial. */
    @State(Scope.Thread)
    public abstract static class OnBackend {
        @Param({"reference", "cpu"})
        public String backend;

        Backend compute;

        @Setup(Level.Trial)
        public void createBackend() {
            compute = Backends.create(backend, 0);
            prepare();
        }

        abstract void prepare();

        /** {@code tensor} filled with seeded values in [-1, 1). */
        Tensor random(Tensor tensor, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            float[] values = new float[tensor.shape().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            compute.upload(values, tensor);
            return tensor;
        }

        @TearDown(Level.Trial)
        public void closeBackend() {
            compute.close();
        }
    }

    /** Darknet53's third stage: 3×3, 128 → 256 channels at 32×32, bias and leaky fused (0.6 BFLOPs). */
    public static class Convolution3x3 extends OnBackend {
        final ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, 128, 32, 32), 256, 3, 1, 1, 1);
        Convolution convolution;
        Tensor input;
        Tensor weights;
        Tensor output;
        Epilogue epilogue;

        @Override
        void prepare() {
            convolution = compute.convolution(spec);
            input = random(compute.allocate(spec.input()), 1);
            weights = random(compute.allocateParameter(spec.weights()), 2);
            Tensor biases = random(compute.allocateParameter(Shape.vector(spec.filters())), 3);
            epilogue = new Epilogue(null, biases, Activation.LEAKY);
            output = compute.allocate(spec.output());
        }
    }

    /** The 2×2 stride-2 max pool of a small training cfg, backward over a batch of 64 (128×28×28). */
    public static class MaxPoolBackward extends OnBackend {
        final PoolSpec spec = new PoolSpec(new Shape(64, 128, 28, 28), 2, 2, 1);
        Tensor input;
        Tensor delta;
        Tensor inputDelta;

        @Override
        void prepare() {
            input = random(compute.allocate(spec.input()), 4);
            delta = random(compute.allocate(spec.output()), 5);
            inputDelta = compute.allocate(spec.input());
        }
    }

    /** A 768×576 photograph letterboxed to 224×224, as {@code classify} prepares tiny's input. */
    @State(Scope.Thread)
    public static class Photograph {
        FloatImage image;

        @Setup(Level.Trial)
        public void draw() {
            SplittableRandom random = new SplittableRandom(5);
            image = FloatImage.filled(768, 576, 3, 0);
            for (int i = 0; i < image.data().length; i++) {
                image.data()[i] = random.nextInt(256) / 255f;
            }
        }
    }

    @Benchmark
    public Tensor convolution3x3(Convolution3x3 state) {
        state.convolution.forward(state.input, state.weights, state.epilogue, state.output);
        state.compute.synchronize();
        return state.output;
    }

    @Benchmark
    public Tensor maxPoolBackward(MaxPoolBackward state) {
        state.compute.maxPoolBackward(state.spec, state.input, state.delta, state.inputDelta);
        state.compute.synchronize();
        return state.inputDelta;
    }

    @Benchmark
    public FloatImage letterbox(Photograph state) {
        return Resize.letterbox(state.image, 224, 224);
    }
}
