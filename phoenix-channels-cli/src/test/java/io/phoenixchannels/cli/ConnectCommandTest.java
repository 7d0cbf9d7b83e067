package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code phx connect} scripted from standard input: each line a command, each event a line, in order. */
class ConnectCommandTest {
  private static PhoenixTestServer server;

  @BeforeAll
  static void start() {
    server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aScriptRunsInOrderAndPrintsJsonLines() throws Exception {
    String script = String.join("\n",
        "# a comment, then a blank line",
        "",
        "join room:lobby {\"name\": \"Ada Lovelace\"}",
        "push room:lobby echo {\"body\": \"hi there\"}",
        "push room:lobby push_many {\"n\": 2}",
        "presence room:lobby",
        "status",
        "push room:lobby error_reply",
        "join room:private",
        "push room:elsewhere echo",
        "bogus",
        "join room:lobby",
        "leave room:lobby",
        "quit",
        "push room:lobby echo {\"never\": \"read\"}");
    PhxRunner.Result result = PhxRunner.withInput(script, "connect", server.url(), "--param", "user_id=ada",
        "--json").await(PhxRunner.DEADLINE);
    // Every line ran; the first command that failed was the error reply to error_reply.
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.ERROR);
    assertThat(result.err()).isEmpty();

    List<String> replies = result.json("reply").stream()
        .map(reply -> reply.get("topic").asText() + " " + reply.get("event").asText() + " "
            + reply.get("status").asText())
        .toList();
    assertThat(replies).containsExactly("room:lobby phx_join ok", "room:lobby echo ok", "room:lobby push_many ok",
        "room:lobby error_reply error", "room:private phx_join error", "room:lobby phx_leave ok");
    assertThat(result.json("reply").get(1).get("response").get("body").asText()).isEqualTo("hi there");
    assertThat(result.json("message")).extracting(message -> message.get("payload").get("i").asInt())
        .containsExactly(1, 2);

    JsonNode list = result.json("presence").stream().filter(line -> line.get("event").asText().equals("list"))
        .findFirst().orElseThrow();
    assertThat(list.get("presences").get("ada").get(0).get("name").asText()).isEqualTo("Ada Lovelace");
    JsonNode status = result.json("status").get(0);
    assertThat(status.get("state").asText()).isEqualTo("open");
    assertThat(status.get("channels").get("room:lobby").asText()).isEqualTo("joined");

    assertThat(result.json("error")).extracting(error -> error.get("message").asText()).containsExactly(
        "not joined to room:elsewhere (join it first)", "unknown command 'bogus' (try: help)",
        "already joined room:lobby (leave it first)");
    assertThat(result.json("channel")).extracting(channel -> channel.get("topic").asText() + " "
        + channel.get("state").asText()).contains("room:private closed", "room:lobby closed");
    List<JsonNode> socket = result.json("socket");
    assertThat(socket.get(0).get("state").asText()).isEqualTo("open");
    assertThat(socket.get(socket.size() - 1).get("state").asText()).isEqualTo("closed");
    assertThat(socket.get(socket.size() - 1).get("reconnecting").asBoolean()).isFalse();
    assertThat(result.out()).doesNotContain("never");
  }

  @Test
  void theEndOfTheInputEndsTheSessionAfterTheLastReply() throws Exception {
    PhxRunner.Result result = PhxRunner.withInput("join room:lobby\npush room:lobby slow {\"ms\": 200}\n",
        "connect", server.url()).await(PhxRunner.DEADLINE);
    assertThat(result.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(result.out()).contains("socket   open", "reply    room:lobby phx_join ok",
        "reply    room:lobby slow ok {\"ms\":200}", "socket   closed");
  }

  @Test
  void aScriptExitsWithTheCodeOfItsFirstFailedCommand() throws Exception {
    assertThat(script("join room:lobby\npush room:lobby echo\nleave room:lobby\n")).isEqualTo(ExitCode.OK);
    assertThat(script("join room:private\njoin room:lobby\npush room:lobby error_reply\n"))
        .as("a refused join").isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(script("join room:lobby\npush room:lobby noreply\npush room:lobby error_reply\n", "--timeout", "300ms"))
        .as("an unanswered push").isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(script("join room:lobby\npush room:lobby echo {bad\njoin room:private\n"))
        .as("invalid JSON").isEqualTo(ExitCode.USAGE);
    assertThat(script("jion room:lobby\n")).as("an unknown command").isEqualTo(ExitCode.USAGE);
    assertThat(script("push room:lobby echo\n")).as("a topic not joined").isEqualTo(ExitCode.USAGE);
  }

  @Test
  void invalidJsonInAScriptSaysWhatIsWrongInJsonsTerms() throws Exception {
    PhxRunner.Result result = PhxRunner.withInput("join room:lobby\npush room:lobby echo {'body': 'hi'}\n",
        "connect", server.url(), "--json").await(PhxRunner.DEADLINE);
    assertThat(result.json("error")).extracting(error -> error.get("message").asText()).containsExactly(
        "the payload: not valid JSON: expected a key in double quotes, found a single quote (JSON strings need "
            + "double quotes), at column 2 in '{'body': 'hi'}'");
  }

  private int script(String lines, String... options) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("connect", server.url(), "--json"));
    args.addAll(List.of(options));
    PhxRunner.Result result = PhxRunner.withInput(lines, args.toArray(String[]::new)).await(PhxRunner.DEADLINE);
    assertThat(result.err()).isEmpty();
    return result.exitCode();
  }

  @Test
  void helpListsTheSessionCommands() throws Exception {
    PhxRunner.Result result = PhxRunner.withInput("help\n", "connect", server.url(), "--json")
        .await(PhxRunner.DEADLINE);
    assertThat(result.json("note")).extracting(note -> note.get("text").asText().split(" ")[0])
        .containsExactlyElementsOf(SessionCommands.NAMES);
  }

  @Test
  void aServerThatIsNotThereFailsWithExitTwo() throws Exception {
    PhxRunner.withInput("join room:lobby\n", "connect", "ws://127.0.0.1:1/socket")
        .await(PhxRunner.DEADLINE).assertOneErrorLine(ExitCode.UNAVAILABLE, "cannot connect");
  }
}
