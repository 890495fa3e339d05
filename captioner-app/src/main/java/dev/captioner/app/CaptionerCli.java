package dev.captioner.app;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code captioner} command: synthetic data, captioning (one model or an ensemble; search or
 * sampling), training, evaluation, the comparison of models, scoring, the encoder's pretraining, feature
 * extraction, engine information and benchmarks. Each subcommand is a Picocli shell over the
 * {@code pipeline} library: it parses, calls the library and prints. {@link #commandLine} builds it with
 * its error handlers, so tests run exactly what the jar runs and capture what it prints.
 */
@Command(name = "captioner",
        mixinStandardHelpOptions = true,
        versionProvider = CaptionerCli.Version.class,
        description = "Image captioning on the JVM: encoder-decoder captioners with soft attention, COCO metrics.",
        subcommands = {SynthCommand.class, CaptionCommand.class, TrainCommand.class, EvaluateCommand.class, CompareCommand.class,
                ScoreCommand.class,
                PretrainEncoderCommand.class, FeaturesCommand.class, PackageCommand.class,
                ServeCommand.class, InfoCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class},
        sortOptions = false)
public final class CaptionerCli implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace as well as the one-line message.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No subcommand: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        MallocTuning.apply();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The configured command line, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new CaptionerCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        cli.setParameterExceptionHandler(new ErrorReporter());
        cli.setExitCodeExceptionMapper(ErrorReporter::exitCodeOf);
        cli.getSubcommands().get("bench").getCommandSpec().usageMessage().width(110)
                .footer("", "Workloads:", dev.captioner.pipeline.bench.Workloads.listing());
        return cli;
    }

    /** The version from the jar's manifest, and the versions of what the native side is built on. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CaptionerCli.class.getPackage().getImplementationVersion();
            return new String[] {"captioner " + (version == null ? "(development build)" : version)};
        }
    }
}
