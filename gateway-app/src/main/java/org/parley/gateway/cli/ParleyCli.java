package org.parley.gateway.cli;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code parley <command>}: the operator tools. With no command the jar runs the gateway. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "Parley 0.1.0",
        description = "XMPP ⇄ SIP federation gateway for Lync / Skype for Business. Without a command: run the gateway.",
        subcommands = {DoctorCommand.class, CsrCommand.class, LyncCommandsCommand.class, TranslateCommand.class})
public final class ParleyCli {

    private static final Set<String> COMMANDS = Set.of("doctor", "csr", "lync-commands", "translate", "help", "--help", "-h", "--version", "-V");

    private ParleyCli() {
    }

    /** Whether {@code args} ask for a command rather than the service. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    public static int run(String[] args) {
        return new CommandLine(new ParleyCli()).addSubcommand("help", new CommandLine.HelpCommand()).execute(args);
    }
}
