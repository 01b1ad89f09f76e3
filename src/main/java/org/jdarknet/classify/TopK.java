package org.jdarknet.classify;

/**
 * Darknet's {@code top_k}: the indexes of the k largest values, largest first. A value displaces
 * another only when strictly greater, so among equal values the lower index ranks first.
 */
public final class TopK {

    private TopK() {
    }

    public static int[] of(float[] values, int k) {
        int[] index = new int[Math.min(k, values.length)];
        java.util.Arrays.fill(index, -1);
        for (int i = 0; i < values.length; i++) {
            int current = i;
            for (int j = 0; j < index.length; j++) {
                if (index[j] < 0 || values[current] > values[index[j]]) {
                    int swap = current;
                    current = index[j];
                    index[j] = swap;
                    if (current < 0) {
                        break;
                    }
                }
            }
        }
        return index;
    }
}
