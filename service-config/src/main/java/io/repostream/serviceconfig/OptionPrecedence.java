package io.repostream.serviceconfig;

import java.util.Map;
import picocli.CommandLine;

/**
 * Which value counts for a setting that a command-line option, its environment variable and a
 * service's settings file ({@link SettingsBinding}) may each give: the option, then its variable,
 * then the file, then the option's default. The same order in every service with a settings file.
 */
public final class OptionPrecedence {
    private final CommandLine.Model.CommandSpec command;
    private final Map<String, String> env;

    /**
     * @param command the parsed command whose options are asked about
     */
    public OptionPrecedence(CommandLine.Model.CommandSpec command) {
        this(command, System.getenv());
    }

    /**
     * @param env the environment the variables are read from
     */
    public OptionPrecedence(CommandLine.Model.CommandSpec command, Map<String, String> env) {
        this.command = command;
        this.env = Map.copyOf(env);
    }

    /**
     * {@code parsed} (the option's value as picocli resolved it: given, from {@code envName}, or
     * its default) when the option was given on the command line or its environment variable {@code
     * envName} (null: none) is set; else {@code fromFile} when the file has it; else {@code
     * parsed}, the default.
     */
    public <T> T pick(String option, String envName, T parsed, T fromFile) {
        String fromEnv = envName == null ? null : env.get(envName);
        boolean given =
                command.commandLine().getParseResult().hasMatchedOption(option)
                        || (fromEnv != null && !fromEnv.isBlank());
        return given || fromFile == null ? parsed : fromFile;
    }
}
