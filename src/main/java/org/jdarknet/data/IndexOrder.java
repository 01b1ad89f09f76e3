package org.jdarknet.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The order in which a loader visits a dataset's images; used by one thread at a time. */
abstract class IndexOrder {
    final int size;

    private IndexOrder(int size) {
        this.size = size;
    }

    /** The next image index. */
    abstract int next(SplittableRandom random);

    /** How many indexes are left; {@link Integer#MAX_VALUE} for endless orders. */
    int remaining() {
        return Integer.MAX_VALUE;
    }

    static IndexOrder of(Sampling sampling, int size) {
        return switch (sampling) {
            case RANDOM -> new WithReplacement(size);
            case EPOCHS -> new Epochs(size);
        };
    }

    /** 0, 1, ..., size-1 once: validation. */
    static IndexOrder sequential(int size) {
        return new Sequential(size);
    }

    private static final class WithReplacement extends IndexOrder {
        WithReplacement(int size) {
            super(size);
        }

        @Override
        int next(SplittableRandom random) {
            return random.nextInt(size);
        }
    }

    private static final class Epochs extends IndexOrder {
        private final int[] permutation;
        private int position;

        Epochs(int size) {
            super(size);
            permutation = new int[size];
            position = size;
        }

        @Override
        int next(SplittableRandom random) {
            if (position == size) {
                shuffle(random);
                position = 0;
            }
            return permutation[position++];
        }

        /** Fisher–Yates over the identity, so each epoch's order depends only on the random state. */
        private void shuffle(SplittableRandom random) {
            Arrays.setAll(permutation, i -> i);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = swap;
            }
        }
    }

    private static final class Sequential extends IndexOrder {
        private int position;

        Sequential(int size) {
            super(size);
        }

        @Override
        int next(SplittableRandom random) {
            return position++;
        }

        @Override
        int remaining() {
            return size - position;
        }
    }
}
