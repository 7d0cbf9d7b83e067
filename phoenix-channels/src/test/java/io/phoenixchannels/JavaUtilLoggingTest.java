package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testing.CapturedLogs;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** A java.util.logging logger, the kind Android has, gets the socket's records as System.Logger would. */
class JavaUtilLoggingTest {

  @Test
  void aJavaUtilLoggingLoggerGetsTheTrafficAtFineWithoutPayloads() {
    try (CapturedLogs logs = CapturedLogs.of("io.phoenixchannels.test.socket")) {
      ManualEventLoop loop = new ManualEventLoop();
      FakeTransport transport = new FakeTransport();
      try (PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket")
          .eventLoop(loop).transport(transport).logger(logs.logger()).build()) {
        PhoenixChannel channel = socket.channel("room:1");
        channel.join();
        socket.connect();
        transport.last().open();
        transport.last().receive(ServerFrames.ok("1", "1", "room:1"));
        channel.push("echo", Map.of("secret", "s3cr3t-payload"));
      }

      assertThat(logs.records()).extracting(LogRecord::getMessage)
          .anyMatch(message -> message.startsWith("connecting to"))
          .anyMatch(message -> message.startsWith("push room:1 echo"));
      assertThat(logs.records()).extracting(LogRecord::getLevel).containsOnly(Level.FINE);
      assertThat(logs.text()).doesNotContain("s3cr3t");
    }
  }
}
