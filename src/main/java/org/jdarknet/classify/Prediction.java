package org.jdarknet.classify;

/** One of the top classes for an image: output index, its name and its probability. */
public record Prediction(int index, String label, float probability) {
}
