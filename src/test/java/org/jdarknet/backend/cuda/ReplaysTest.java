package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When the cuda backend runs a repeatable pass eagerly, records it or replays it, with a recorder
 * that stands in for stream capture (the CUDA graph calls themselves need a GPU; GpuConformance
 * and the cuda conformance kit run them there). The stand-in records without running the pass,
 * as stream capture does.
 */
class ReplaysTest {
    private final List<String> events = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final AtomicInteger recordings = new AtomicInteger();
    private boolean recordable = true;

    private final Replays.Recorder<String> recorder = new Replays.Recorder<>() {
        @Override
        public String record(Runnable pass) {
            if (!recordable) {
                throw new Replays.NotRecordable("cudaMalloc during capture", null);
            }
            String recording = "graph" + recordings.incrementAndGet();
            events.add("record " + recording);
            return recording;
        }

        @Override
        public void launch(String recording) {
            events.add("launch " + recording);
        }

        @Override
        public void destroy(String recording) {
            events.add("destroy " + recording);
        }
    };

    private final Replays<String> replays = new Replays<>(recorder, notes::add);

    private Runnable pass(String name) {
        return () -> events.add("run " + name);
    }

    @Test
    void eagerFirstThenRecordedOnceThenReplayed() {
        for (int call = 0; call < 4; call++) {
            replays.run("net", pass("net"));
        }
        assertEquals(List.of("run net", "record graph1", "launch graph1", "launch graph1", "launch graph1"), events);
        assertTrue(replays.isRecorded("net"));
        assertEquals(List.of(), notes);
    }

    @Test
    void keysAreRecordedApart() {
        replays.run("a", pass("a"));
        replays.run("b", pass("b"));
        replays.run("a", pass("a"));
        replays.run("b", pass("b"));
        replays.run("a", pass("a"));
        assertEquals(List.of("run a", "run b", "record graph1", "launch graph1", "record graph2", "launch graph2", "launch graph1"),
                events);
    }

    @Test
    void aPassThatCannotBeRecordedRunsEagerlyFromThenOnAndSaysSoOnce() {
        recordable = false;
        for (int call = 0; call < 4; call++) {
            replays.run("net", pass("net"));
        }
        assertEquals(List.of("run net", "run net", "run net", "run net"), events);
        assertEquals(List.of("net runs eagerly, not as a CUDA graph: cudaMalloc during capture"), notes);
        assertFalse(replays.isRecorded("net"));
    }

    @Test
    void invalidatingDestroysTheRecordingsAndStartsAgainEagerly() {
        replays.run("net", pass("net"));
        replays.run("net", pass("net"));
        replays.invalidate();
        replays.run("net", pass("net"));
        replays.run("net", pass("net"));
        assertEquals(List.of("run net", "record graph1", "launch graph1", "destroy graph1", "run net", "record graph2",
                "launch graph2"), events);
    }

    @Test
    void closingDestroysEveryRecording() {
        for (String key : List.of("a", "b")) {
            replays.run(key, pass(key));
            replays.run(key, pass(key));
        }
        events.clear();
        replays.close();
        assertEquals(2, events.stream().filter(event -> event.startsWith("destroy ")).count(), events.toString());
        assertFalse(replays.isRecorded("a"));
    }

    @Test
    void aFailedFirstPassIsNotCountedAsRun() {
        assertThrows(IllegalStateException.class, () -> replays.run("net", () -> {
            throw new IllegalStateException("a wrong shape");
        }));
        replays.run("net", pass("net"));
        assertEquals(List.of("run net"), events, "the next call runs eagerly again instead of recording");
    }

    @Test
    void aRepeatablePassInsideAnotherJustRuns() {
        Runnable outer = () -> {
            events.add("run outer");
            replays.run("inner", pass("inner"));
        };
        replays.run("outer", outer);
        replays.run("outer", outer);
        replays.run("outer", outer);
        assertEquals(List.of("run outer", "run inner", "record graph1", "launch graph1", "launch graph1"), events);
        assertFalse(replays.isRecorded("inner"));
    }

    @Test
    void memoryFreedDuringTheEagerPassStillLeavesItRun() {
        replays.run("net", () -> {
            events.add("run net");
            replays.invalidate();
        });
        replays.run("net", pass("net"));
        assertEquals(List.of("run net", "record graph1", "launch graph1"), events);
    }
}
