package dev.tokenguard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tokenguard}: {@code serve} runs TokenGuard as a gateway or demo, {@code check} explains why a token
 * passes or fails. Exit codes: 0 success, 1 invalid token ({@code check}), 2 configuration or network problem.
 */
@Command(name = "tokenguard", mixinStandardHelpOptions = true, versionProvider = TokenGuardCli.Version.class,
    description = "Bearer-token protection for JVM web applications.",
    subcommands = {ServeCommand.class, CheckCommand.class, RevokeCommand.class, CommandLine.HelpCommand.class})
public final class TokenGuardCli implements Runnable {
  /** Exit status for a configuration or network problem. */
  static final int EXIT_CONFIG = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.exit(new CommandLine(new TokenGuardCli()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TokenGuardCli.class.getPackage().getImplementationVersion();
      return new String[] {"tokenguard " + (v == null ? "(development build)" : v)};
    }
  }
}
