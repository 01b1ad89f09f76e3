package org.jdarknet.backend.cuda;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.OperationsConformance;

/** The cuda backend passes {@link OperationsConformance} on a GPU; skipped, saying why, without one. */
class CudaOperationsTest extends OperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return CudaBackendUnderTest.INSTANCE;
    }
}
