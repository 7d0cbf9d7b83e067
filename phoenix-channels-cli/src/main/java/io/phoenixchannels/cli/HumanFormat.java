package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Events as a person reads them: a time, a kind, the topic and event, then the JSON, pretty-printed when long.
 * Colour (ANSI, through JLine) only when writing to a terminal.
 *
 * <pre>
 * 10:42:07.311 socket   open ws://127.0.0.1:4000/socket
 * 10:42:07.340 reply    room:lobby phx_join ok {"joined":"room:lobby","params":{}}
 * 10:42:07.342 presence room:lobby + ada [{"name":"Ada","online_at":1764323327339,"phx_ref":"..."}]
 * 10:42:09.020 message  room:lobby broadcasted {"body":"hello"}
 * </pre>
 */
final class HumanFormat implements EventFormat {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  private static final int LABEL_WIDTH = 9;
  private static final AttributedStyle PLAIN = AttributedStyle.DEFAULT;
  private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle BOLD = AttributedStyle.BOLD;
  private static final AttributedStyle GREEN = PLAIN.foreground(AttributedStyle.GREEN);
  private static final AttributedStyle RED = PLAIN.foreground(AttributedStyle.RED);
  private static final AttributedStyle YELLOW = PLAIN.foreground(AttributedStyle.YELLOW);
  private static final AttributedStyle BLUE = PLAIN.foreground(AttributedStyle.BLUE);
  private static final AttributedStyle MAGENTA = PLAIN.foreground(AttributedStyle.MAGENTA);
  private static final AttributedStyle CYAN = PLAIN.foreground(AttributedStyle.CYAN);

  private final boolean colour;
  private final boolean clock;

  /**
   * @param colour ANSI colours (for a terminal)
   * @param clock start each line with the time of day (the demo narrates without)
   */
  HumanFormat(boolean colour, boolean clock) {
    this.colour = colour;
    this.clock = clock;
  }

  @Override
  public String format(CliEvent event) {
    AttributedStringBuilder line = new AttributedStringBuilder();
    if (event instanceof CliEvent.Step step) {
      line.append(System.lineSeparator());
      line.styled(BOLD, "Step " + step.number() + "/" + step.of() + " · " + step.title());
      return render(line);
    }
    if (event instanceof CliEvent.Note note) {
      return render(prefix(line).append(clock ? note.text() : "  " + note.text()));
    }
    if (event instanceof CliEvent.Summary summary) {
      line.append(System.lineSeparator()).styled(BOLD, "Summary");
      for (Map.Entry<String, Object> figure : summary.figures().entrySet()) {
        line.append(System.lineSeparator()).append("  ").append(figure.getKey()).append(": ")
            .styled(BOLD, String.valueOf(figure.getValue()));
      }
      return render(line);
    }
    prefix(line);
    if (event instanceof CliEvent.Reply reply) {
      label(line, "reply", statusStyle(reply.status()));
      line.append(reply.topic()).append(' ').append(reply.event()).append(' ')
          .styled(statusStyle(reply.status()).bold(), reply.status());
      json(line, reply.response());
    } else if (event instanceof CliEvent.Message message) {
      label(line, "message", BLUE);
      line.append(message.topic()).append(' ').styled(BOLD, message.event());
      json(line, message.payload());
    } else if (event instanceof CliEvent.PresenceChange change) {
      label(line, "presence", MAGENTA);
      boolean joined = "join".equals(change.event());
      line.append(change.topic()).append(' ').styled(joined ? GREEN : YELLOW, joined ? "+ " : "- ")
          .styled(BOLD, change.key());
      json(line, change.metas());
    } else if (event instanceof CliEvent.PresenceList list) {
      label(line, "presence", MAGENTA);
      line.append(list.topic()).append(' ').append(list.presences().size() + " present");
      json(line, list.presences());
    } else if (event instanceof CliEvent.Socket socket) {
      boolean open = "open".equals(socket.state());
      label(line, "socket", open ? CYAN : YELLOW);
      line.styled(BOLD, socket.state()).append(' ').append(socket.url());
      if (socket.code() != null) {
        line.append(" (" + socket.code() + (socket.reason() == null || socket.reason().isEmpty() ? ""
            : " " + socket.reason()) + ")");
      }
      if (Boolean.TRUE.equals(socket.reconnecting())) {
        line.styled(DIM, "; reconnecting");
      }
    } else if (event instanceof CliEvent.Channel channel) {
      label(line, "channel", YELLOW);
      line.append(channel.topic()).append(' ').styled(BOLD, channel.state());
      if (channel.reason() != null) {
        line.append(" (" + channel.reason() + ")");
      }
      if ("errored".equals(channel.state())) {
        line.styled(DIM, "; rejoining");
      }
    } else if (event instanceof CliEvent.Error error) {
      label(line, "error", RED);
      line.styled(RED, error.message());
    } else if (event instanceof CliEvent.Status status) {
      label(line, "status", CYAN);
      line.append(status.url()).append(' ').styled(BOLD, status.state());
      status.channels().forEach((topic, state) -> line.append(System.lineSeparator()).append(indent())
          .append(topic).append(' ').append(state));
    } else if (event instanceof CliEvent.Server server) {
      label(line, server.event(), server.event().endsWith("refused") ? YELLOW : CYAN);
      if (server.connection() != null) {
        line.styled(DIM, "#" + server.connection() + " ");
      }
      line.append(server.detail());
    } else {
      line.append(Json.compact(event));
    }
    return render(line);
  }

  private AttributedStringBuilder prefix(AttributedStringBuilder line) {
    if (clock) {
      line.styled(DIM, LocalTime.now().format(CLOCK)).append(' ');
    }
    return line;
  }

  private static void label(AttributedStringBuilder line, String label, AttributedStyle style) {
    line.styled(style, label);
    line.append(" ".repeat(Math.max(1, LABEL_WIDTH - label.length())));
  }

  /** A short value follows on the line; a long one goes below it, indented under the label's column. */
  private void json(AttributedStringBuilder line, JsonNode value) {
    if (value == null) {
      return;
    }
    String text = Json.readable(value);
    if (text.indexOf('\n') < 0) {
      line.append(' ').append(text);
      return;
    }
    for (String row : text.split("\\R")) {
      line.append(System.lineSeparator()).append(indent()).append(row);
    }
  }

  private String indent() {
    return " ".repeat((clock ? CLOCK.format(LocalTime.MIDNIGHT).length() + 1 : 0) + LABEL_WIDTH);
  }

  private static AttributedStyle statusStyle(String status) {
    return switch (status) {
      case "ok" -> GREEN;
      case "timeout" -> YELLOW;
      default -> RED;
    };
  }

  private String render(AttributedStringBuilder line) {
    AttributedString text = line.toAttributedString();
    return colour ? text.toAnsi() : text.toString();
  }
}
