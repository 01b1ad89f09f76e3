package org.jdarknet.backend.reference;

import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * A connected layer's product as darknet computes it: forward is its {@code gemm_nt} as its build
 * vectorises it, backward its two gemms ({@link TrainingKernels#connectedBackward}).
 */
final class ReferenceConnected implements Connected {
    private final ConnectedSpec spec;
    private final ReferenceBackend backend;

    ReferenceConnected(ConnectedSpec spec, ReferenceBackend backend) {
        this.spec = spec;
        this.backend = backend;
    }

    @Override
    public ConnectedSpec spec() {
        return spec;
    }

    /**
     * Four partial sums (lane j takes every k with k mod 4 = j), combined as (l0 + l2) + (l1 + l3),
     * then the remainder added one by one.
     */
    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        ArrayTensor in = ArrayTensor.of(input);
        ArrayTensor out = ArrayTensor.of(output);
        float[] x = in.values();
        float[] w = ArrayTensor.of(weights).data();
        float[] y = out.values();
        int batch = input.shape().n();
        int inputs = input.shape().itemSize();
        int outputs = output.shape().itemSize();
        int vectorEnd = inputs - inputs % 4;
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outputs; o++) {
                int xRow = in.start(b);
                int wRow = o * inputs;
                float l0 = 0;
                float l1 = 0;
                float l2 = 0;
                float l3 = 0;
                for (int i = 0; i < vectorEnd; i += 4) {
                    l0 += x[xRow + i] * w[wRow + i];
                    l1 += x[xRow + i + 1] * w[wRow + i + 1];
                    l2 += x[xRow + i + 2] * w[wRow + i + 2];
                    l3 += x[xRow + i + 3] * w[wRow + i + 3];
                }
                float sum = (l0 + l2) + (l1 + l3);
                for (int i = vectorEnd; i < inputs; i++) {
                    sum += x[xRow + i] * w[wRow + i];
                }
                y[out.start(b) + o] = sum;
            }
        }
        backend.apply(epilogue, output);
    }

    @Override
    public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
        TrainingKernels.connectedBackward(ArrayTensor.of(input).data(), ArrayTensor.of(weights).data(),
                ArrayTensor.of(delta).data(), ArrayTensor.of(weightGradient).data(),
                inputDelta == null ? null : ArrayTensor.of(inputDelta).data(), input.shape().n(),
                input.shape().itemSize(), delta.shape().itemSize());
    }
}
