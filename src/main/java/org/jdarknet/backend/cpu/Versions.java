package org.jdarknet.backend.cpu;

import java.util.List;

/** The versions some parameter tensors had when a value was derived from them. */
final class Versions {
    private final List<ParameterTensor> tensors;
    private final long[] versions;

    private Versions(List<ParameterTensor> tensors) {
        this.tensors = tensors;
        this.versions = tensors.stream().mapToLong(ParameterTensor::version).toArray();
    }

    /** The current versions of {@code tensors}. */
    static Versions of(List<ParameterTensor> tensors) {
        return new Versions(List.copyOf(tensors));
    }

    /** Whether none of the tensors changed since. */
    boolean current() {
        for (int i = 0; i < versions.length; i++) {
            if (tensors.get(i).version() != versions[i]) {
                return false;
            }
        }
        return true;
    }
}
