package org.jdarknet.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime as the independent judge of exported models: its CPU execution provider with all
 * graph optimisations (it fuses batch norm into convolutions, activations into their producers),
 * as a user would run the model.
 */
final class Ort implements AutoCloseable {
    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private Ort(OrtSession session) {
        this.session = session;
    }

    /** Two threads: the tests share a two-core machine. */
    static Ort load(byte[] model) throws OrtException {
        return load(model, 2);
    }

    static Ort load(byte[] model, int threads) throws OrtException {
        return load(model, threads, false);
    }

    /**
     * For checking an int8 model's numbers: on x86 CPUs without VNNI (AVX2, as this machine) ONNX
     * Runtime's default integer kernels multiply uint8 activations by int8 weights pairwise into
     * 16-bit sums, which saturate (2·255·127 > 32767); {@code session.x64quantprecision} makes it use
     * exact uint8×uint8 kernels there instead (slower; no effect elsewhere).
     */
    static Ort loadExactIntegers(byte[] model) throws OrtException {
        return load(model, 2, true);
    }

    private static Ort load(byte[] model, int threads, boolean exactIntegers) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            if (exactIntegers) {
                options.addConfigEntry("session.x64quantprecision", "1");
            }
            return new Ort(ENVIRONMENT.createSession(model, options));
        }
    }

    /** The model's output for one input tensor of {@code shape} (N×C×H×W). */
    float[] run(float[] input, long... shape) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(ENVIRONMENT, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of("input", tensor))) {
            FloatBuffer values = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] output = new float[values.remaining()];
            values.get(output);
            return output;
        }
    }

    OrtSession session() {
        return session;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
