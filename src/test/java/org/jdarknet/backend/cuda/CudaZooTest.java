package org.jdarknet.backend.cuda;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ZooConformance;

/** The cuda backend passes {@link ZooConformance} on a GPU; skipped, saying why, without one. */
class CudaZooTest extends ZooConformance {
    @Override
    protected BackendUnderTest subject() {
        return CudaBackendUnderTest.INSTANCE;
    }
}
