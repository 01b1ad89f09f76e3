package org.jdarknet.layers;

import org.jdarknet.backend.Activation;

/**
 * Which {@code [shortcut]} layers a network built for inference computes inside the convolution
 * right before them, as the residual of its epilogue ({@link org.jdarknet.backend.Epilogue.Residual}):
 * the convolution then writes the shortcut's output and the shortcut, sharing that tensor, does
 * nothing. The network decides this before building its layers; a layer only asks.
 */
public interface ShortcutFusion {
    /** No shortcut is fused: every layer computes its own output (training, and measuring). */
    ShortcutFusion NONE = layer -> null;

    /** A fused shortcut as its convolution needs it: the layer it adds, its factors and its activation. */
    record Fused(int from, float alpha, float beta, Activation activation) {
    }

    /** The shortcut that layer {@code layer} computes in its epilogue (it is then the next layer); null for none. */
    Fused into(int layer);
}
