package io.phoenixchannels.cli;

import io.phoenixchannels.cli.game.GameDemo;
import java.awt.GraphicsEnvironment;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phx demo}: the library at work in one command. It starts the reference app in-process (or uses
 * {@code --url}), and narrates three clients through joins, Presence, a broadcast, a reply, a timeout, a channel
 * crash with its rejoin, and a server restart with every reconnect and rejoin; then it sums up and exits 0.
 * {@code --gui} opens the board game instead.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = {"Watch three clients go through joins, Presence, broadcasts, replies, a timeout, a channel "
        + "crash and a server restart, narrated step by step (about 5 seconds).",
        "--gui opens the multiplayer board game instead: one window per player, arrow keys move."})
final class DemoCommand implements Callable<Integer> {
  @ParentCommand
  private Phx phx;

  @Option(names = "--url", paramLabel = "URL",
      description = "Run against this Phoenix server, which implements the reference app's room:* and game:* "
          + "channels, instead of the embedded one.")
  private String url;

  @Option(names = "--gui", description = "Open the Swing board game: one window per player, moves over game:*.")
  private boolean gui;

  @Option(names = "--players", defaultValue = "3", description = "With --gui: how many player windows "
      + "(1-" + GameDemo.MAX_PLAYERS + ", default: ${DEFAULT-VALUE}).")
  private int players;

  @Option(names = "--step-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long each step may take before the demo gives up with exit code 1 (default: "
          + "${DEFAULT-VALUE}).")
  private Duration stepTimeout;

  @Mixin
  private OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (url != null) {
      ConnectionOptions.checkUrl(url);
    }
    if (gui) {
      if (players < 1 || players > GameDemo.MAX_PLAYERS) {
        throw CliException.usage("--players must be 1-" + GameDemo.MAX_PLAYERS + ", got " + players);
      }
      if (GraphicsEnvironment.isHeadless()) {
        throw new CliException(ExitCode.ERROR, "--gui needs a display, and this Java has none (headless)");
      }
      GameDemo.run(url, players);
      return ExitCode.OK;
    }
    return new DemoRun(output.printer(phx.streams(), false), url, stepTimeout).run();
  }
}
