package io.berth.broker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the entry point of the command line. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    version = "Berth 0.1.0",
    description = "An MQTT 3.1.1 and 5.0 broker that keeps what it acknowledged.",
    subcommands = {ServeCommand.class, AdminCommand.class})
public final class Main implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
