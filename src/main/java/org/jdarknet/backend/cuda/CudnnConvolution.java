package org.jdarknet.backend.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdDataAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionFwdAlgoPerf_t;
import org.bytedeco.cuda.cudnn.cudnnConvolutionStruct;
import org.bytedeco.cuda.cudnn.cudnnFilterStruct;
import org.bytedeco.cuda.cudnn.cudnnTensorStruct;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.Pointer;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * A convolution through cuDNN's convolution API, in darknet's geometry: zero padding on every side,
 * square filters, channels in groups, cross-correlation (darknet does not flip its filters), fp32
 * with FMA math only. The algorithm for each pass is chosen by timing the candidates the first
 * time the pass runs for this shape; the epilogue then runs as one kernel over the output.
 */
final class CudnnConvolution implements Convolution {
    private final ConvolutionSpec spec;
    private final Cudnn dnn;
    private final CudaBackend backend;
    private final String context;
    private final cudnnTensorStruct input = new cudnnTensorStruct();
    private final cudnnTensorStruct output = new cudnnTensorStruct();
    private final cudnnFilterStruct filter = new cudnnFilterStruct();
    private final cudnnConvolutionStruct convolution = new cudnnConvolutionStruct();

    CudnnConvolution(ConvolutionSpec spec, Cudnn dnn, CudaBackend backend) {
        this.spec = spec;
        this.dnn = dnn;
        this.backend = backend;
        this.context = describe(spec);
        Shape in = spec.input();
        Shape out = spec.output();
        Shape weights = spec.weights();
        check(cudnn.cudnnCreateTensorDescriptor(input), "cudnnCreateTensorDescriptor");
        check(cudnn.cudnnCreateTensorDescriptor(output), "cudnnCreateTensorDescriptor");
        check(cudnn.cudnnCreateFilterDescriptor(filter), "cudnnCreateFilterDescriptor");
        check(cudnn.cudnnCreateConvolutionDescriptor(convolution), "cudnnCreateConvolutionDescriptor");
        check(cudnn.cudnnSetTensor4dDescriptor(input, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT, in.n(), in.c(), in.h(), in.w()),
                "cudnnSetTensor4dDescriptor(input)");
        check(cudnn.cudnnSetTensor4dDescriptor(output, cudnn.CUDNN_TENSOR_NCHW, cudnn.CUDNN_DATA_FLOAT, out.n(), out.c(), out.h(),
                out.w()), "cudnnSetTensor4dDescriptor(output)");
        check(cudnn.cudnnSetFilter4dDescriptor(filter, cudnn.CUDNN_DATA_FLOAT, cudnn.CUDNN_TENSOR_NCHW, weights.n(), weights.c(),
                weights.h(), weights.w()), "cudnnSetFilter4dDescriptor");
        check(cudnn.cudnnSetConvolution2dDescriptor(convolution, spec.padding(), spec.padding(), spec.stride(), spec.stride(), 1, 1,
                cudnn.CUDNN_CROSS_CORRELATION, cudnn.CUDNN_DATA_FLOAT), "cudnnSetConvolution2dDescriptor");
        check(cudnn.cudnnSetConvolutionGroupCount(convolution, spec.groups()), "cudnnSetConvolutionGroupCount");
        check(cudnn.cudnnSetConvolutionMathType(convolution, cudnn.CUDNN_FMA_MATH), "cudnnSetConvolutionMathType(FMA)");
        checkOutputShape(out);
    }

    /** E.g. {@code convolution 1x3x224x224 -> 32 filters 3x3/1 pad 1}. */
    static String describe(ConvolutionSpec spec) {
        return "convolution " + spec.input() + " -> " + spec.filters() + " filters " + spec.size() + "x" + spec.size() + "/"
                + spec.stride() + " pad " + spec.padding() + (spec.groups() > 1 ? " groups " + spec.groups() : "");
    }

    @Override
    public ConvolutionSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor inputTensor, Tensor weights, Epilogue epilogue, Tensor outputTensor) {
        DeviceTensor x = DeviceTensor.of(inputTensor);
        DeviceTensor w = DeviceTensor.of(weights);
        DeviceTensor y = DeviceTensor.of(outputTensor);
        backend.gpu().bind();
        AlgorithmChoice.Chosen chosen = dnn.algorithm(Cudnn.Pass.FORWARD, spec, limit -> findForward(x, w, y, limit));
        check(cudnn.cudnnConvolutionForward(dnn.handle(), dnn.one(), input, x.floats(), filter, w.floats(), convolution,
                chosen.algorithm(), dnn.workspace(chosen.workspaceBytes()), chosen.workspaceBytes(), dnn.zero(), output,
                y.floats()), "cudnnConvolutionForward");
        backend.applyEpilogue(epilogue, y);
    }

    @Override
    public void backward(Tensor inputTensor, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
        DeviceTensor x = DeviceTensor.of(inputTensor);
        DeviceTensor w = DeviceTensor.of(weights);
        DeviceTensor dy = DeviceTensor.of(delta);
        DeviceTensor dw = DeviceTensor.of(weightGradient);
        backend.gpu().bind();
        AlgorithmChoice.Chosen filterPass = dnn.algorithm(Cudnn.Pass.BACKWARD_FILTER, spec, limit -> findBackwardFilter(x, dy, limit));
        check(cudnn.cudnnConvolutionBackwardFilter(dnn.handle(), dnn.one(), input, x.floats(), output, dy.floats(),
                convolution, filterPass.algorithm(), dnn.workspace(filterPass.workspaceBytes()), filterPass.workspaceBytes(),
                dnn.one(), filter, dw.floats()), "cudnnConvolutionBackwardFilter");
        if (inputDelta != null) {
            DeviceTensor dx = DeviceTensor.of(inputDelta);
            AlgorithmChoice.Chosen dataPass = dnn.algorithm(Cudnn.Pass.BACKWARD_DATA, spec, limit -> findBackwardData(w, dy, limit));
            check(cudnn.cudnnConvolutionBackwardData(dnn.handle(), dnn.one(), filter, w.floats(), output, dy.floats(),
                    convolution, dataPass.algorithm(), dnn.workspace(dataPass.workspaceBytes()), dataPass.workspaceBytes(),
                    dnn.one(), input, dx.floats()), "cudnnConvolutionBackwardData");
        }
    }

    /** Times the forward algorithms on the layer's own buffers (the output is overwritten by the pass anyway). */
    private AlgorithmChoice.Chosen findForward(DeviceTensor x, DeviceTensor w, DeviceTensor y, long limit) {
        int requested = cudnn.CUDNN_CONVOLUTION_FWD_ALGO_COUNT;
        try (cudnnConvolutionFwdAlgoPerf_t results = new cudnnConvolutionFwdAlgoPerf_t(requested); Scratch space = scratch(limit)) {
            int[] returned = new int[1];
            check(cudnn.cudnnFindConvolutionForwardAlgorithmEx(dnn.handle(), input, x.floats(), filter, w.floats(), convolution,
                    output, y.floats(), requested, returned, results, space.memory(), limit), "cudnnFindConvolutionForwardAlgorithmEx");
            return choose(candidates(returned[0], i -> {
                cudnnConvolutionFwdAlgoPerf_t r = results.getPointer(i);
                return new AlgorithmChoice.Candidate(r.algo(), r.status(), r.time(), r.memory(), r.mathType());
            }), limit, "forward");
        }
    }

    /**
     * Times the filter-gradient algorithms writing into a scratch gradient: the search overwrites
     * its output, and the layer's gradient holds sums that must survive.
     */
    private AlgorithmChoice.Chosen findBackwardFilter(DeviceTensor x, DeviceTensor dy, long limit) {
        int requested = cudnn.CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT;
        try (cudnnConvolutionBwdFilterAlgoPerf_t results = new cudnnConvolutionBwdFilterAlgoPerf_t(requested);
             Scratch space = scratch(limit); Scratch gradient = scratch((long) spec.weights().size() * Float.BYTES)) {
            int[] returned = new int[1];
            check(cudnn.cudnnFindConvolutionBackwardFilterAlgorithmEx(dnn.handle(), input, x.floats(), output, dy.floats(),
                    convolution, filter, gradient.memory(), requested, returned, results, space.memory(), limit),
                    "cudnnFindConvolutionBackwardFilterAlgorithmEx");
            return choose(candidates(returned[0], i -> {
                cudnnConvolutionBwdFilterAlgoPerf_t r = results.getPointer(i);
                return new AlgorithmChoice.Candidate(r.algo(), r.status(), r.time(), r.memory(), r.mathType());
            }), limit, "backward filter");
        }
    }

    /** Times the input-gradient algorithms writing into a scratch delta, for the same reason. */
    private AlgorithmChoice.Chosen findBackwardData(DeviceTensor w, DeviceTensor dy, long limit) {
        int requested = cudnn.CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT;
        try (cudnnConvolutionBwdDataAlgoPerf_t results = new cudnnConvolutionBwdDataAlgoPerf_t(requested);
             Scratch space = scratch(limit); Scratch delta = scratch((long) spec.input().size() * Float.BYTES)) {
            int[] returned = new int[1];
            check(cudnn.cudnnFindConvolutionBackwardDataAlgorithmEx(dnn.handle(), filter, w.floats(), output, dy.floats(),
                    convolution, input, delta.memory(), requested, returned, results, space.memory(), limit),
                    "cudnnFindConvolutionBackwardDataAlgorithmEx");
            return choose(candidates(returned[0], i -> {
                cudnnConvolutionBwdDataAlgoPerf_t r = results.getPointer(i);
                return new AlgorithmChoice.Candidate(r.algo(), r.status(), r.time(), r.memory(), r.mathType());
            }), limit, "backward data");
        }
    }

    /** cuDNN's answer as candidates: its three result types share their fields but no Java type. */
    private static List<AlgorithmChoice.Candidate> candidates(int returned, IntFunction<AlgorithmChoice.Candidate> result) {
        List<AlgorithmChoice.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < returned; i++) {
            candidates.add(result.apply(i));
        }
        return candidates;
    }

    private AlgorithmChoice.Chosen choose(List<AlgorithmChoice.Candidate> candidates, long limit, String pass) {
        AlgorithmChoice.Chosen chosen = AlgorithmChoice.pick(candidates, cudnn.CUDNN_STATUS_SUCCESS, cudnn.CUDNN_FMA_MATH, limit,
                context + " (" + pass + ")");
        backend.note(context + " " + pass + ": algorithm " + chosen.algorithm() + ", workspace "
                + ErrorMessages.bytes(chosen.workspaceBytes()));
        return chosen;
    }

    /** Device memory for one search, freed right after it. */
    private final class Scratch implements AutoCloseable {
        private final Pointer memory;

        Scratch(long bytes) {
            memory = bytes == 0 ? null : backend.gpu().allocate(bytes, "choosing an algorithm for " + context);
        }

        Pointer memory() {
            return memory;
        }

        @Override
        public void close() {
            if (memory != null) {
                backend.gpu().free(memory);
            }
        }
    }

    private Scratch scratch(long bytes) {
        return new Scratch(bytes);
    }

    /** cuDNN's own output size must be darknet's, or the layers behind would read the wrong shape. */
    private void checkOutputShape(Shape expected) {
        int[] n = new int[1];
        int[] c = new int[1];
        int[] h = new int[1];
        int[] w = new int[1];
        check(cudnn.cudnnGetConvolution2dForwardOutputDim(convolution, input, filter, n, c, h, w),
                "cudnnGetConvolution2dForwardOutputDim");
        Shape actual = new Shape(n[0], c[0], h[0], w[0]);
        if (!actual.equals(expected)) {
            throw new CudaException("cuDNN computes a " + actual + " output for " + context + ", darknet " + expected, false);
        }
    }

    private void check(int status, String call) {
        Check.cudnn(status, call, context);
    }

    @Override
    public void close() {
        check(cudnn.cudnnDestroyConvolutionDescriptor(convolution), "cudnnDestroyConvolutionDescriptor");
        check(cudnn.cudnnDestroyFilterDescriptor(filter), "cudnnDestroyFilterDescriptor");
        check(cudnn.cudnnDestroyTensorDescriptor(output), "cudnnDestroyTensorDescriptor");
        check(cudnn.cudnnDestroyTensorDescriptor(input), "cudnnDestroyTensorDescriptor");
    }
}
