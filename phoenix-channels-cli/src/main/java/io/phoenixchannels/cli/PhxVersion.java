package io.phoenixchannels.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code phx --version}: the project version the build wrote into {@code version.properties}, and the Java running it. */
final class PhxVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = PhxVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {
        "phx " + properties.getProperty("version", "(unknown version)") + " (Phoenix Channels for Java)",
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
