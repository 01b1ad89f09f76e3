package org.jdarknet.backend.cuda;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which of the algorithms cuDNN's {@code Find*AlgorithmEx} timed to use for a convolution: the
 * fastest that succeeded in plain fp32 FMA arithmetic within the workspace limit. Tensor-core
 * math (TF32 for fp32 data) is never taken: it rounds the inputs to 10 mantissa bits and the
 * backend promises the reference backend's results to 1e-4.
 */
final class AlgorithmChoice {
    /** One line of cuDNN's answer: {@code cudnnConvolution*AlgoPerf_t} in Java. */
    record Candidate(int algorithm, int status, float milliseconds, long workspaceBytes, int mathType) {
    }

    /** The choice: the algorithm, the workspace it needs, the math type to set on the descriptor. */
    record Chosen(int algorithm, long workspaceBytes, int mathType) {
    }

    private AlgorithmChoice() {
    }

    /**
     * @param succeeded the status value of a usable result ({@code CUDNN_STATUS_SUCCESS})
     * @param fmaMath   {@code CUDNN_FMA_MATH}, the only math type accepted
     * @throws CudaException when no result qualifies, listing what cuDNN answered
     */
    static Chosen pick(List<Candidate> candidates, int succeeded, int fmaMath, long workspaceLimit, String context) {
        Optional<Candidate> best = candidates.stream()
                .filter(candidate -> candidate.status() == succeeded && candidate.mathType() == fmaMath
                        && candidate.workspaceBytes() <= workspaceLimit && candidate.milliseconds() >= 0)
                .min(Comparator.comparingDouble(Candidate::milliseconds));
        return best.map(candidate -> new Chosen(candidate.algorithm(), candidate.workspaceBytes(), candidate.mathType()))
                .orElseThrow(() -> new CudaException("no cuDNN algorithm for " + context + " runs in fp32 FMA math within "
                        + ErrorMessages.bytes(workspaceLimit) + " of workspace; cuDNN offered "
                        + describe(candidates), false));
    }

    /** How much workspace the algorithm search may use: an eighth of the free memory, at most 1 GiB. */
    static long workspaceLimit(long freeBytes) {
        return Math.min(1L << 30, Math.max(0, freeBytes) / 8);
    }

    private static String describe(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return "nothing";
        }
        return candidates.stream()
                .map(c -> "algorithm " + c.algorithm() + " (status " + c.status() + ", math " + c.mathType() + ", "
                        + ErrorMessages.bytes(c.workspaceBytes()) + ")")
                .collect(Collectors.joining(", "));
    }
}
