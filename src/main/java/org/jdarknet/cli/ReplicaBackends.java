package org.jdarknet.cli;

import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.train.parallel.SyncScheme;

/** The backends a training run puts its replicas on, one each, and how the replicas keep in step; closes them all. */
record ReplicaBackends(List<Backend> backends, SyncScheme scheme) implements AutoCloseable {

    @Override
    public void close() {
        backends.forEach(Backend::close);
    }
}
