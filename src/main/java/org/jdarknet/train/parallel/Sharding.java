package org.jdarknet.train.parallel;

import java.nio.FloatBuffer;
import org.jdarknet.data.Batch;

/**
 * How a loaded batch is dealt to the replicas: replica {@code r} gets the contiguous images
 * {@code r*shardSize .. (r+1)*shardSize - 1} and their truth, as darknet's {@code get_data_part}
 * deals a batch to its GPUs. Shards are equal; a batch that does not divide is refused when the
 * replicas are built, never split unevenly.
 */
public record Sharding(int replicas, int shardSize) {

    /** Shards of {@code images / replicas}; {@code what} names the batch in the error when it does not divide. */
    public static Sharding even(int images, int replicas, String what) {
        if (replicas < 1) {
            throw new IllegalArgumentException("the replica count must be at least 1, not " + replicas);
        }
        if (images % replicas != 0) {
            throw new IllegalArgumentException(what + " has " + images + " images, which " + replicas
                    + " replicas cannot share evenly; make it a multiple of " + replicas);
        }
        return new Sharding(replicas, images / replicas);
    }

    /** Images the whole batch holds. */
    public int batchSize() {
        return replicas * shardSize;
    }

    /** Replica {@code replica}'s images, a view into the batch's array. */
    public FloatBuffer images(Batch batch, int replica) {
        return slice(batch, batch.images(), batch.imageLength(), replica);
    }

    /** Replica {@code replica}'s truth, a view into the batch's array. */
    public FloatBuffer truth(Batch batch, int replica) {
        return slice(batch, batch.truth(), batch.classes(), replica);
    }

    private FloatBuffer slice(Batch batch, float[] values, int perImage, int replica) {
        if (batch.size() != batchSize()) {
            throw new IllegalArgumentException("a batch of " + batch.size() + " images for shards of " + batchSize());
        }
        int length = shardSize * perImage;
        return FloatBuffer.wrap(values, replica * length, length);
    }
}
