package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a failure prints: a user's mistake is one line and no stack trace (unless
 * {@code --verbose}); a bug in jdarknet says it is one and prints the trace to report.
 */
class ErrorReportingTest {
    private static final String TRACE_LINE = "\tat org.jdarknet.cli.FailingCommand.call(";

    /** A user's mistake, and an I/O error on the user's files, the way it reads. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"user|" + FailingCommand.USER_MESSAGE,
            "io|java.io.IOException: " + FailingCommand.IO_MESSAGE})
    void aUsersProblemIsOneLineWithoutATrace(String kind, String message) {
        Processes.Result result = Processes.java(FailingCommand.class, "fail", kind);
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals(List.of("error: " + message), result.stderrLines());
    }

    @Test
    void verboseAddsTheTraceToAUsersMistake() {
        Processes.Result result = Processes.java(FailingCommand.class, "--verbose", "fail", "user");
        assertEquals(1, result.exitCode(), result.stderr());
        List<String> lines = result.stderrLines();
        assertEquals("error: " + FailingCommand.USER_MESSAGE, lines.get(0));
        assertEquals("org.jdarknet.UsageException: " + FailingCommand.USER_MESSAGE, lines.get(1));
        assertTrue(result.stderr().contains(TRACE_LINE), result.stderr());
    }

    @Test
    void aBugSaysSoAndPrintsItsTrace() {
        Processes.Result result = Processes.java(FailingCommand.class, "fail", "bug");
        assertEquals(1, result.exitCode(), result.stderr());
        List<String> lines = result.stderrLines();
        assertEquals("error: internal error: java.lang.IllegalArgumentException: " + FailingCommand.BUG_MESSAGE
                + " (this is a bug in jdarknet; please report it with the stack trace below)", lines.get(0));
        assertEquals("java.lang.IllegalArgumentException: " + FailingCommand.BUG_MESSAGE, lines.get(1));
        assertTrue(lines.get(2).startsWith(TRACE_LINE), result.stderr());
    }

    /** Training reads colour images: a cfg that takes others is refused at its channels= line. */
    @Test
    void trainingANetworkOfOtherChannelsIsOneLine(@TempDir Path dir) throws IOException {
        Path data = TrainingFixture.colours(dir, 1).resolve("train");
        Path grey = Files.writeString(dir.resolve("grey.cfg"),
                Files.readString(TrainingFixture.CFG).replace("channels=3", "channels=1"));
        Processes.Result result = Processes.jdarknet("train", grey.toString(), "--data", data.toString(),
                "--backend", "reference", "--backup", dir.resolve("backup").toString());
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals(List.of("error: " + grey + ":" + channelsLine(grey) + ": 'channels': training takes colour images"
                + " (3 channels); this network takes 1"), result.stderrLines());
    }

    private static int channelsLine(Path cfg) throws IOException {
        return Files.readAllLines(cfg).indexOf("channels=1") + 1;
    }

    /** Bad values on jdarknet's own command line, checked before any file is read. */
    @Test
    void badOptionValuesAreOneLine() {
        List<List<String>> cases = List.of(
                List.of("--backend", "gpu", "error: unknown backend 'gpu'; known: auto, reference, cpu"),
                List.of("--threads", "-3", "error: --threads must be 0 (one per core) or more, found -3"),
                List.of("--preprocess", "crop", "error: unknown preprocessing 'crop'; known: letterbox, resize,"
                        + " resize-min-crop, center-crop"));
        for (List<String> option : cases) {
            Processes.Result result = Processes.jdarknet("classify", option.get(0), option.get(1), "--labels",
                    CliFixture.names().toString(), CliFixture.CFG.toString(), CliFixture.weights().toString(),
                    CliFixture.image(1).toString());
            assertEquals(1, result.exitCode(), result.stderr());
            assertEquals(List.of(option.get(2)), result.stderrLines());
        }
    }
}
