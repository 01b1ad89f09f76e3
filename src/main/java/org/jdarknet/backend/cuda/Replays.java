package org.jdarknet.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The decisions behind {@link CudaBackend#repeatable}, apart from the driver: a key's first pass
 * runs eagerly (cuDNN chooses its algorithms, the workspace grows, kernel parameters are packed,
 * none of which may happen while a stream is captured); its second is recorded and the recording
 * launched; later ones launch the recording. A pass that cannot be recorded runs eagerly from
 * then on, said once through {@code notes}. Every recording is dropped by {@link #invalidate},
 * after which each key starts again from an eager pass.
 *
 * @param <G> a recording, as the {@link Recorder} makes them
 */
final class Replays<G> implements AutoCloseable {
    /** Records passes and launches the recordings (the cuda backend: stream capture and CUDA graphs). */
    interface Recorder<G> {
        /** Records {@code pass} without running it; throws {@link NotRecordable} when the pass cannot be recorded. */
        G record(Runnable pass);

        void launch(G recording);

        void destroy(G recording);
    }

    /** Why a pass could not be recorded; it has not run, and nothing of the attempt remains. */
    static final class NotRecordable extends RuntimeException {
        NotRecordable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private sealed interface State<G> {
    }

    private record RanOnce<G>() implements State<G> {
    }

    private record Recorded<G>(G recording) implements State<G> {
    }

    private record Eager<G>() implements State<G> {
    }

    private final Recorder<G> recorder;
    private final Consumer<String> notes;
    private final Map<Object, State<G>> states = new HashMap<>();
    private boolean inPass;

    Replays(Recorder<G> recorder, Consumer<String> notes) {
        this.recorder = recorder;
        this.notes = notes;
    }

    /** Runs, records or replays {@code pass} as {@code key}'s history says; a pass within a pass just runs. */
    void run(Object key, Runnable pass) {
        if (inPass) {
            pass.run();
            return;
        }
        inPass = true;
        try {
            step(key, pass);
        } finally {
            inPass = false;
        }
    }

    private void step(Object key, Runnable pass) {
        State<G> state = states.get(key);
        if (state == null) {
            pass.run();
            states.put(key, new RanOnce<>());
        } else if (state instanceof RanOnce<G>) {
            recordAndLaunch(key, pass);
        } else if (state instanceof Recorded<G> recorded) {
            recorder.launch(recorded.recording());
        } else {
            pass.run();
        }
    }

    private void recordAndLaunch(Object key, Runnable pass) {
        G recording;
        try {
            recording = recorder.record(pass);
        } catch (NotRecordable reason) {
            states.put(key, new Eager<>());
            notes.accept(key + " runs eagerly, not as a CUDA graph: " + reason.getMessage());
            pass.run();
            return;
        }
        states.put(key, new Recorded<>(recording));
        recorder.launch(recording);
    }

    /** Whether {@code key}'s passes are now replayed from a recording. */
    boolean isRecorded(Object key) {
        return states.get(key) instanceof Recorded<G>;
    }

    /** Drops every recording and what was learnt of every key (memory a recording may use is being released). */
    void invalidate() {
        for (State<G> state : states.values()) {
            if (state instanceof Recorded<G> recorded) {
                recorder.destroy(recorded.recording());
            }
        }
        states.clear();
    }

    @Override
    public void close() {
        invalidate();
    }
}
