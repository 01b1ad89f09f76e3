package org.jdarknet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The paths {@code classify} works through: those named on the command line, or stdin's, one per
 * line (blank lines skipped). {@link #poll} never waits, so that images already decoded are not
 * held back by a pipe that has nothing more to say yet.
 */
interface ImagePaths {

    /** The next path if one is there now; empty when none is yet, or none is left. */
    Optional<Path> poll();

    /** The next path, waiting for it; empty at the end. */
    Optional<Path> take();

    static ImagePaths of(List<Path> paths) {
        Queue<Path> left = new ArrayDeque<>(paths);
        return new ImagePaths() {
            @Override
            public Optional<Path> poll() {
                return Optional.ofNullable(left.poll());
            }

            @Override
            public Optional<Path> take() {
                return poll();
            }
        };
    }

    /**
     * Stdin's paths. From a terminal each is asked for ("Enter Image Path: ") only when the one
     * before it has been classified, as darknet does; from a pipe a thread reads ahead.
     */
    static ImagePaths stdin() {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return System.console() != null ? new Prompted(in) : new Piped(in);
    }

    /** The next non-blank line as a path; empty at the end of the input. */
    private static Optional<Path> nextPath(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    return Optional.of(Path.of(line.strip()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a line only when asked, after the prompt. */
    final class Prompted implements ImagePaths {
        private final BufferedReader in;

        Prompted(BufferedReader in) {
            this.in = in;
        }

        @Override
        public Optional<Path> poll() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> take() {
            System.err.print("Enter Image Path: ");
            System.err.flush();
            return nextPath(in);
        }
    }

    /** A reader thread fills a bounded queue; an empty path marks the end. */
    final class Piped implements ImagePaths {
        private static final int BUFFERED = 1024;
        private static final Path END = Path.of("");
        private final BlockingQueue<Path> queue = new ArrayBlockingQueue<>(BUFFERED);
        private volatile RuntimeException failure;
        private boolean ended;

        Piped(BufferedReader in) {
            Thread reader = new Thread(() -> readAll(in), "stdin paths");
            reader.setDaemon(true); // abandoned when the network fails to load
            reader.start();
        }

        private void readAll(BufferedReader in) {
            try {
                try {
                    for (Optional<Path> path = nextPath(in); path.isPresent(); path = nextPath(in)) {
                        queue.put(path.get());
                    }
                } catch (RuntimeException e) {
                    failure = e; // thrown by the classifying thread when it reaches the end
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Optional<Path> poll() {
            return ended ? Optional.empty() : unlessEnd(queue.poll());
        }

        @Override
        public Optional<Path> take() {
            if (ended) {
                return Optional.empty();
            }
            try {
                return unlessEnd(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading paths from stdin", e);
            }
        }

        private Optional<Path> unlessEnd(Path path) {
            if (path != END) {
                return Optional.ofNullable(path);
            }
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return Optional.empty();
        }
    }
}
