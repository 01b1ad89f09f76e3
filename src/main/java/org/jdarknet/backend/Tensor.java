package org.jdarknet.backend;

/**
 * A handle to memory owned by a {@link Backend}: floats in the backend's own place and layout
 * (a Java array, a oneDNN blocked buffer, GPU memory). Layers only pass handles to backend ops;
 * the values cross into Java arrays only at the network's edges, through
 * {@link Backend#upload} and {@link Backend#download}.
 */
public interface Tensor extends AutoCloseable {
    Shape shape();

    /** Releases the memory; the handle must not be used afterwards. */
    @Override
    void close();
}
