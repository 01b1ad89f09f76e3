package org.jdarknet.cli;

import org.jdarknet.Log;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.image.ImageException;
import org.jdarknet.weights.WeightsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code jdarknet} command line: darknet's commands, spelled as darknet spells them. */
@Command(name = "jdarknet", mixinStandardHelpOptions = true, version = "jdarknet 0.1.0",
        description = "Darknet's classifiers in Java: the same .cfg and .weights files.",
        subcommands = {ClassifyCommand.class, ClassifierCommand.class, PartialCommand.class, BenchmarkCommand.class})
public final class Main {
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Print details (layer table, backend, preprocessing) and stack traces on errors.")
    void setVerbose(boolean verbose) {
        Log.setVerbose(verbose);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code: 0 success, 1 failure, 2 usage error. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(Main::reportFailure);
        return commandLine.execute(args);
    }

    /** A one-line error for the problems users cause; a stack trace only when asked for or for our own bugs. */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        boolean expected = e instanceof CfgException || e instanceof WeightsException || e instanceof ImageException
                || e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException;
        if (expected) {
            Log.error(e.getMessage());
        } else {
            Log.error("internal error: " + e);
        }
        if (Log.verbose() || !expected) {
            e.printStackTrace();
        }
        return 1;
    }
}
