// Lets g++ compile kernels.cu as plain C++: the CUDA keywords defined away, the thread indices as
// globals, and a launch that runs every thread of a one-dimensional grid in turn. Correct only for
// kernels without __shared__ memory or __syncthreads, which is all of jdarknet's.
#pragma once

#define __global__
#define __host__
#define __device__
#define __forceinline__ inline

struct dim3 {
    unsigned x, y, z;
};

inline dim3 blockIdx, threadIdx, blockDim, gridDim;

template <typename... Parameters, typename... Arguments>
void emulate_launch(unsigned grid, unsigned block, void (*kernel)(Parameters...), Arguments... arguments) {
    gridDim = {grid, 1, 1};
    blockDim = {block, 1, 1};
    for (unsigned b = 0; b < grid; b++) {
        for (unsigned t = 0; t < block; t++) {
            blockIdx = {b, 0, 0};
            threadIdx = {t, 0, 0};
            kernel(arguments...);
        }
    }
}
