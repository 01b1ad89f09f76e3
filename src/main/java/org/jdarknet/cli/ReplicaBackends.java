package org.jdarknet.cli;

import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.train.parallel.AllReduce;
import org.jdarknet.train.parallel.SyncScheme;

/**
 * The backends a training run puts its replicas on, one each, how the replicas keep in step, and
 * the all-reduce that suits those backends; closes the backends.
 */
record ReplicaBackends(List<Backend> backends, SyncScheme scheme, AllReduce.Factory allReduce) implements AutoCloseable {

    @Override
    public void close() {
        backends.forEach(Backend::close);
    }
}
