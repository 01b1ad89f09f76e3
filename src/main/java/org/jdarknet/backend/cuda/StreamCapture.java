package org.jdarknet.backend.cuda;

import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;

/**
 * Records a pass as a CUDA graph by capturing the backend's stream, and launches it as one call.
 * Capture is thread-local: only this thread's calls that cannot be captured (an allocation, a
 * synchronous copy, a wait) break it, which then fails and the pass runs eagerly instead. Uses
 * only what CUDA 13.0's runtime has ({@code cudaGraphInstantiate} with its flags argument, as since
 * CUDA 12).
 */
final class StreamCapture implements Replays.Recorder<StreamCapture.Graph> {
    /** A captured graph and its executable form. */
    record Graph(CUgraph_st graph, CUgraphExec_st executable) {
    }

    private final Gpu gpu;

    StreamCapture(Gpu gpu) {
        this.gpu = gpu;
    }

    @Override
    public Graph record(Runnable pass) {
        gpu.bind();
        Check.cuda(cudart.cudaStreamBeginCapture(gpu.stream(), cudart.cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture",
                "recording a pass");
        CUgraph_st graph = new CUgraph_st();
        try {
            pass.run();
        } catch (RuntimeException failure) {
            abandon(graph);
            throw new Replays.NotRecordable(failure.getMessage(), failure);
        }
        int ended = cudart.cudaStreamEndCapture(gpu.stream(), graph);
        if (ended != cudart.cudaSuccess) {
            abandon(graph);
            throw new Replays.NotRecordable("cudaStreamEndCapture failed: " + errorName(ended), null);
        }
        CUgraphExec_st executable = new CUgraphExec_st();
        int instantiated = cudart.cudaGraphInstantiate(executable, graph, 0L);
        if (instantiated != cudart.cudaSuccess) {
            cudart.cudaGetLastError();
            Check.cuda(cudart.cudaGraphDestroy(graph), "cudaGraphDestroy", null);
            throw new Replays.NotRecordable("cudaGraphInstantiate failed: " + errorName(instantiated), null);
        }
        return new Graph(graph, executable);
    }

    /** Ends a capture that failed, if it is still open, and clears the error it left. */
    private void abandon(CUgraph_st graph) {
        int[] status = new int[1];
        if (cudart.cudaStreamIsCapturing(gpu.stream(), status) == cudart.cudaSuccess
                && status[0] != cudart.cudaStreamCaptureStatusNone) {
            cudart.cudaStreamEndCapture(gpu.stream(), graph); // fails for an invalidated capture, which leaves no graph
        }
        if (!graph.isNull()) {
            cudart.cudaGraphDestroy(graph);
        }
        cudart.cudaGetLastError();
    }

    private static String errorName(int code) {
        BytePointer name = cudart.cudaGetErrorName(code);
        return name == null || name.isNull() ? "error " + code : name.getString();
    }

    @Override
    public void launch(Graph recording) {
        gpu.bind();
        Check.cuda(cudart.cudaGraphLaunch(recording.executable(), gpu.stream()), "cudaGraphLaunch", "replaying a recorded pass");
    }

    @Override
    public void destroy(Graph recording) {
        gpu.bind();
        Check.cuda(cudart.cudaGraphExecDestroy(recording.executable()), "cudaGraphExecDestroy", null);
        Check.cuda(cudart.cudaGraphDestroy(recording.graph()), "cudaGraphDestroy", null);
    }
}
