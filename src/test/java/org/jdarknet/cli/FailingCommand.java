package org.jdarknet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.jdarknet.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jdarknet fail KIND}: jdarknet's command line with one more command, which throws what
 * KIND names, so that {@link ErrorReportingTest} sees how {@link Main} reports each kind of
 * failure, bugs included, without a bug in jdarknet to trigger.
 */
@Command(name = "fail")
final class FailingCommand implements Callable<Integer> {
    static final String USER_MESSAGE = "--runs must be at least 1, found 0";
    static final String BUG_MESSAGE = "index 7 out of bounds for length 3";
    static final String IO_MESSAGE = "/nowhere/out.weights: No space left on device";

    @Parameters(paramLabel = "KIND", description = "user, io or bug")
    String kind;

    @Override
    public Integer call() {
        RuntimeException failure = switch (kind) {
            case "user" -> new UsageException(USER_MESSAGE);
            case "io" -> new UncheckedIOException(new IOException(IO_MESSAGE));
            case "bug" -> new IllegalArgumentException(BUG_MESSAGE);
            default -> new IllegalStateException("no failure of kind " + kind);
        };
        throw failure;
    }

    public static void main(String[] args) {
        System.exit(Main.execute(new CommandLine(new Main()).addSubcommand(new FailingCommand()), args));
    }
}
