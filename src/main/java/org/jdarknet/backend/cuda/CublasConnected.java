package org.jdarknet.backend.cuda;

import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/** A connected layer on the GPU: cuBLAS's sgemm for the product, then the epilogue kernel in place. */
final class CublasConnected implements Connected {
    private final ConnectedSpec spec;
    private final Blas blas;
    private final CudaBackend backend;

    CublasConnected(ConnectedSpec spec, Blas blas, CudaBackend backend) {
        this.spec = spec;
        this.blas = blas;
        this.backend = backend;
    }

    @Override
    public ConnectedSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        DeviceTensor y = DeviceTensor.of(output);
        blas.connected(DeviceTensor.of(input), DeviceTensor.of(weights), y);
        backend.applyEpilogue(epilogue, y);
    }

    @Override
    public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
        DeviceTensor d = DeviceTensor.of(delta);
        blas.weightGradient(DeviceTensor.of(input), d, DeviceTensor.of(weightGradient));
        if (inputDelta != null) {
            blas.inputDelta(DeviceTensor.of(weights), d, DeviceTensor.of(inputDelta));
        }
    }
}
