package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A java.util.logging logger, the kind Android has, gets the socket's records as System.Logger would. */
class JavaUtilLoggingTest {

  @Test
  void aJavaUtilLoggingLoggerGetsTheTrafficAtFineWithoutPayloads() {
    Logger logger = Logger.getLogger("io.phoenixchannels.test.socket");
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    logger.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    ManualEventLoop loop = new ManualEventLoop();
    FakeTransport transport = new FakeTransport();
    try (PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket")
        .eventLoop(loop).transport(transport).logger(logger).build()) {
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      socket.connect();
      transport.last().open();
      transport.last().receive(ServerFrames.ok("1", "1", "room:1"));
      channel.push("echo", Map.of("secret", "s3cr3t-payload"));
    }

    assertThat(records).extracting(LogRecord::getMessage)
        .anyMatch(message -> message.startsWith("connecting to"))
        .anyMatch(message -> message.startsWith("push room:1 echo"));
    assertThat(records).extracting(LogRecord::getLevel).containsOnly(Level.FINE);
    assertThat(records).extracting(LogRecord::getMessage).noneMatch(message -> message.contains("s3cr3t"));
  }
}
