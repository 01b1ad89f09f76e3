package org.jdarknet.backend.reference;

import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.OperationsConformance;

/**
 * The reference backend passes {@link OperationsConformance} against itself, bit for bit: the
 * oracle is deterministic. (It runs every kit class but the zoo, which would compare the slowest
 * backend with itself on the largest networks.)
 */
class ReferenceOperationsTest extends OperationsConformance {
    @Override
    protected BackendUnderTest subject() {
        return BackendUnderTest.exact("reference", ReferenceBackend::new);
    }
}
