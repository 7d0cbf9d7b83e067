package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.testserver.DeferredReply;
import io.phoenixchannels.testserver.InboundEvent;
import io.phoenixchannels.testserver.ServerChannel;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** An event pushed to a channel, and the handle to answer it later. */
final class InboundEventImpl implements InboundEvent {
  private final ChannelProcess channel;
  private final Message message;

  InboundEventImpl(ChannelProcess channel, Message message) {
    this.channel = channel;
    this.message = message;
  }

  @Override
  public String event() {
    return message.event();
  }

  @Override
  public JsonNode payload() {
    return message.payload();
  }

  @Override
  public boolean isBinary() {
    return message.payload().isBinary();
  }

  @Override
  public String ref() {
    return message.ref();
  }

  @Override
  public String joinRef() {
    return message.joinRef();
  }

  @Override
  public ServerChannel channel() {
    return channel;
  }

  @Override
  public DeferredReply deferReply() {
    AtomicBoolean answered = new AtomicBoolean();
    ConnectionImpl connection = channel.connectionImpl();
    return (status, response) -> {
      Objects.requireNonNull(status, "status");
      ServerMessage reply = ServerMessage.reply(channel.joinRef(), message.ref(), message.topic(), status, response,
          connection.serverMapper());
      if (!answered.compareAndSet(false, true)) {
        connection.logger().log(Level.DEBUG, () -> "a deferred reply to " + message.event() + " was already sent");
        return;
      }
      connection.executor().executeOrRun(() -> {
        if (!channel.isJoined()) {
          connection.logger().log(Level.DEBUG, () -> "channel " + message.topic() + " has ended; dropping the "
              + "deferred reply to " + message.event());
          return;
        }
        channel.sendReply(message, reply);
      });
    };
  }
}
