package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectRequest;
import io.phoenixchannels.testserver.ConnectionClose;
import io.phoenixchannels.testserver.JoinRequest;
import io.phoenixchannels.testserver.ServerChannel;
import io.phoenixchannels.testserver.ServerListener;
import java.util.Locale;

/**
 * What {@code phx serve} prints: each connect, refused connect, join, refused join (with its topic and the error
 * reply, such as {@code {"reason":"unauthorized"}}), channel end and disconnect, as it happens.
 */
final class ServerLog implements ServerListener {
  private final EventPrinter printer;

  ServerLog(EventPrinter printer) {
    this.printer = printer;
  }

  @Override
  public void connected(ClientConnection connection) {
    ConnectRequest request = connection.request();
    printer.print(new CliEvent.Server("connect", connection.id(), connection.socketId().orElse("(anonymous)")
        + " over " + connection.transport().name().toLowerCase(Locale.ROOT) + ", vsn " + connection.vsn()
        + ", params " + Json.compact(request.params()) + ", from " + request.remoteAddress()));
  }

  @Override
  public void refused(ConnectRequest request) {
    printer.print(new CliEvent.Server("refused", null, "params " + Json.compact(request.params()) + " from "
        + request.remoteAddress() + ": HTTP 403"));
  }

  @Override
  public void joined(ServerChannel channel) {
    printer.print(new CliEvent.Server("join", channel.connection().id(), channel.topic() + " "
        + Json.compact(channel.joinParams())));
  }

  @Override
  public void joinRefused(JoinRequest join, JsonNode response) {
    printer.print(new CliEvent.Server("join-refused", join.connection().id(), join.topic() + " "
        + Json.compact(join.params()) + ": " + Json.compact(response)));
  }

  @Override
  public void channelEnded(ServerChannel channel, String reason) {
    printer.print(new CliEvent.Server("leave", channel.connection().id(), channel.topic() + " (" + reason + ")"));
  }

  @Override
  public void disconnected(ClientConnection connection, ConnectionClose close) {
    printer.print(new CliEvent.Server("disconnect", connection.id(), close.code()
        + (close.reason().isEmpty() ? "" : " " + close.reason()) + (close.byServer() ? ", by the server" : "")));
  }
}
