package org.jdarknet.backend.cpu;

import java.util.List;

/** Which parameter tensors a value was derived from, and the versions they had then. */
final class Versions {
    private final List<ParameterTensor> tensors;
    private final long[] versions;

    private Versions(List<ParameterTensor> tensors) {
        this.tensors = List.copyOf(tensors);
        this.versions = tensors.stream().mapToLong(ParameterTensor::version).toArray();
    }

    /** The current versions of {@code tensors}. */
    static Versions of(List<ParameterTensor> tensors) {
        return new Versions(tensors);
    }

    /** Whether {@code sources} are the same tensors, none of them changed since. */
    boolean current(List<ParameterTensor> sources) {
        if (sources.size() != tensors.size()) {
            return false;
        }
        for (int i = 0; i < versions.length; i++) {
            if (sources.get(i) != tensors.get(i) || tensors.get(i).version() != versions[i]) {
                return false;
            }
        }
        return true;
    }
}
