package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.reference.ArrayTensor;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * The cuBLAS arguments of connected layers, run through a plain column-major {@code sgemm} as
 * BLAS defines it, against the reference backend's connected layer and its backward pass.
 * A swapped transposition or leading dimension fails here, not on a GPU.
 */
class GemmTest {
    private static final int BATCH = 3;
    private static final int INPUTS = 7;
    private static final int OUTPUTS = 5;
    private static final ConnectedSpec SPEC = new ConnectedSpec(new Shape(BATCH, INPUTS, 1, 1), OUTPUTS);
    private final Random random = new Random(13);
    private final ReferenceBackend reference = new ReferenceBackend();

    @Test
    void forwardIsTheReferenceConnectedLayer() {
        ArrayTensor input = tensor(new Shape(BATCH, INPUTS, 1, 1));
        ArrayTensor weights = tensor(new Shape(OUTPUTS, INPUTS, 1, 1));
        ArrayTensor expected = new ArrayTensor(new Shape(BATCH, OUTPUTS, 1, 1));
        try (Connected connected = reference.connected(SPEC)) {
            connected.forward(input, weights, Epilogue.NONE, expected);
        }
        float[] actual = new float[BATCH * OUTPUTS];
        sgemm(Gemm.forward(BATCH, INPUTS, OUTPUTS), weights.data(), input.data(), actual);
        assertClose(expected.data(), actual);
    }

    @Test
    void backwardIsTheReferenceBackwardAccumulatingIntoWhatIsThere() {
        ArrayTensor input = tensor(new Shape(BATCH, INPUTS, 1, 1));
        ArrayTensor weights = tensor(new Shape(OUTPUTS, INPUTS, 1, 1));
        ArrayTensor delta = tensor(new Shape(BATCH, OUTPUTS, 1, 1));
        ArrayTensor weightGradient = tensor(new Shape(OUTPUTS, INPUTS, 1, 1));
        ArrayTensor inputDelta = tensor(new Shape(BATCH, INPUTS, 1, 1));
        float[] weightGradientHere = weightGradient.data().clone();
        float[] inputDeltaHere = inputDelta.data().clone();
        try (Connected connected = reference.connected(SPEC)) {
            connected.backward(input, weights, delta, weightGradient, inputDelta);
        }
        sgemm(Gemm.weightGradient(BATCH, INPUTS, OUTPUTS), input.data(), delta.data(), weightGradientHere);
        sgemm(Gemm.inputDelta(BATCH, INPUTS, OUTPUTS), weights.data(), delta.data(), inputDeltaHere);
        assertClose(weightGradient.data(), weightGradientHere);
        assertClose(inputDelta.data(), inputDeltaHere);
    }

    /** BLAS's column-major {@code C = op(A) op(B) + beta C} with alpha 1, element (i, j) of X at {@code X[i + j*ld]}. */
    private static void sgemm(Gemm g, float[] a, float[] b, float[] c) {
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double sum = 0;
                for (int p = 0; p < g.k(); p++) {
                    float left = g.transposeA() ? a[p + i * g.lda()] : a[i + p * g.lda()];
                    float right = g.transposeB() ? b[j + p * g.ldb()] : b[p + j * g.ldb()];
                    sum += (double) left * right;
                }
                c[i + j * g.ldc()] = (float) (sum + g.beta() * c[i + j * g.ldc()]);
            }
        }
    }

    private ArrayTensor tensor(Shape shape) {
        ArrayTensor tensor = new ArrayTensor(shape);
        for (int i = 0; i < tensor.data().length; i++) {
            tensor.data()[i] = random.nextFloat() * 2 - 1;
        }
        return tensor;
    }

    /** The sums differ only in their order of addition: a few ulps of values of order one. */
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "value " + i);
        }
    }
}
