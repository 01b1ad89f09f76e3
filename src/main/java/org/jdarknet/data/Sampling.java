package org.jdarknet.data;

/** How training draws the images of each batch. */
public enum Sampling {
    /** Darknet's: every image of every batch drawn at random from the whole list, with replacement. */
    RANDOM,
    /** Epochs: every image once per epoch, in a new random order each epoch. */
    EPOCHS
}
