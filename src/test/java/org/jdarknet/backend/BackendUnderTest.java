package org.jdarknet.backend;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a backend tells the conformance kit about itself: how to create it, in each variant it
 * offers (the cpu backend: one per activation layout), why it cannot run here (no natives, no
 * GPU), the bounds it keeps, and any check of its own tensors' internals.
 */
public interface BackendUnderTest {

    /** One way of creating the backend, named in the kit's messages. */
    record Variant(String name, Supplier<Backend> create) {
    }

    /** Every variant the backend offers; all of them run the kit. */
    List<Variant> variants();

    /**
     * The variants that run whole networks (the zoo) in reasonable time on this machine: all of
     * them unless a variant is known to fall to slow kernels here (it is then left out of the zoo
     * only, saying so; every operation is still checked in it).
     */
    default List<Variant> wholeNetworkVariants() {
        return variants();
    }

    /** Why the backend cannot run here (the kit's tests are then skipped, saying so), or empty. */
    Optional<String> unavailableReason();

    default Tolerances tolerances() {
        return Tolerances.CONTRACT;
    }

    /** Asserts what must hold of a tensor of this backend after any operation (the cpu backend: zero padding lanes). */
    default void assertInvariants(Tensor tensor, String what) {
    }

    /**
     * A backend that computes with the reference backend's arithmetic (the reference itself, a
     * backend made of {@link ReferenceFallback}): one variant, available everywhere, and held to
     * bit-for-bit agreement.
     */
    static BackendUnderTest exact(String name, Supplier<Backend> create) {
        return new BackendUnderTest() {
            @Override
            public List<Variant> variants() {
                return List.of(new Variant(name, create));
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.empty();
            }

            @Override
            public Tolerances tolerances() {
                return Tolerances.EXACT;
            }
        };
    }
}
