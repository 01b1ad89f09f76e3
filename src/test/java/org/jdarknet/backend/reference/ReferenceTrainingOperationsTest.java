package org.jdarknet.backend.reference;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.TrainingOperationsConformance;

/** The reference backend passes {@link TrainingOperationsConformance} against itself, bit for bit. */
class ReferenceTrainingOperationsTest extends TrainingOperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("reference", ReferenceBackend::new);
    }
}
