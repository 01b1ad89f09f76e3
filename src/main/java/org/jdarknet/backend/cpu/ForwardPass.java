package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Epilogue;

/** A convolution's or inner product's forward pass with one epilogue, in whatever precision it computes. */
interface ForwardPass extends AutoCloseable {

    /**
     * Runs from {@code source} into {@code destination}, a view of {@code output}'s buffer, with
     * {@code weights} (the layer's, in darknet's order) and {@code epilogue}.
     */
    void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination, ActivationTensor output);

    @Override
    void close();
}
