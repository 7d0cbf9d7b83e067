package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Readable lines: colour only when asked for (a terminal), long JSON pretty-printed below its event. */
class HumanFormatTest {
  private static final String ESCAPE = "\u001b[";

  @Test
  void colourOnlyOnATerminal() {
    CliEvent reply = new CliEvent.Reply("room:a", "echo", "ok", Json.parse("{\"a\":1}"));
    assertThat(new HumanFormat(true, false).format(reply)).contains(ESCAPE).contains("ok");
    assertThat(new HumanFormat(false, false).format(reply)).doesNotContain(ESCAPE)
        .isEqualTo("reply    room:a echo ok {\"a\":1}");
  }

  @Test
  void longPayloadsArePrettyPrintedUnderTheLine() {
    CliEvent message = new CliEvent.Message("room:a", "big", Json.parse("{\"text\":\"" + "x".repeat(80) + "\"}"));
    String text = new HumanFormat(false, false).format(message);
    assertThat(text.lines().toList()).hasSize(4);
    assertThat(text.lines().toList().get(0)).isEqualTo("message  room:a big");
    assertThat(text.lines().toList().get(2)).startsWith("           \"text\" : \"xxx");
  }

  @Test
  void socketClosesSayWhetherTheyReconnect() {
    assertThat(new HumanFormat(false, false).format(new CliEvent.Socket("closed", "ws://h/socket", 1001, "", true)))
        .isEqualTo("socket   closed ws://h/socket (1001); reconnecting");
  }
}
