package io.phoenixchannels.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official phoenix.js client (npm {@code phoenix} 1.7.23 and 1.8.16 with {@code ws}) against the reference
 * app on the test server, each version against the matching version mode: every scenario must report what it
 * reports against real Phoenix (compare {@code conformance/traces}).
 */
class PhoenixJsCrossCheckTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> SCENARIOS = List.of("join_ok", "join_error", "echo", "error_reply", "timeout",
      "broadcast", "presence", "crash_rejoin", "server_stop", "binary", "heartbeat", "refused", "v1",
      "disconnect_by_id");

  static Stream<Arguments> scenarios() {
    Stream<Arguments> both = Stream.of(PhoenixVersion.values())
        .flatMap(version -> SCENARIOS.stream().map(scenario -> Arguments.of(version, scenario)));
    // phoenix.js sends auth tokens to 1.8 only: 1.7 servers ignore them.
    return Stream.concat(both, Stream.of(Arguments.of(PhoenixVersion.PHOENIX_1_8, "auth_token")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("scenarios")
  void phoenixJsReportsWhatItReportsAgainstPhoenix(PhoenixVersion version, String scenario) throws Exception {
    boolean v18 = version == PhoenixVersion.PHOENIX_1_8;
    try (PhoenixTestServer server = ReferenceApp.start(version)) {
      PhoenixJs.Report report = PhoenixJs.run(v18 ? "phoenix18" : "phoenix17", server.url(), scenario);
      assertThat(report.outcome()).as(report.output()).isEqualTo("done");
      assertThat(report.phoenixVersion()).isEqualTo(v18 ? "1.8.16" : "1.7.23");
      switch (scenario) {
        case "join_ok" -> {
          assertThat(report.event("join")).isEqualTo(json("{'type':'join','status':'ok','resp':{'joined':"
              + "'room:lobby','params':{'name':'Alice'}}}"));
          JsonNode meta = report.event("presence_state").get("state").get("alice").get("metas").get(0);
          assertThat(meta.get("name").asText()).isEqualTo("Alice");
          assertThat(meta.get("phx_ref").asText()).isNotEmpty();
        }
        case "join_error" -> {
          assertThat(report.events("join")).hasSize(2).allSatisfy(join -> assertThat(join).isEqualTo(
              json("{'type':'join','status':'error','resp':{'reason':'unauthorized'}}")));
          assertThat(report.event("leave").get("status").asText()).isEqualTo("ok");
          assertThat(report.event("crash_join").get("resp")).isEqualTo(json("{'reason':'join crashed'}"));
        }
        case "echo" -> {
          assertThat(report.event("echo").get("resp")).isEqualTo(json("{'hello':'world','n':1,'nested':{'list':"
              + "[1,'two',null,true]}}"));
          assertThat(report.event("items").get("items")).isEqualTo(json("[1,2,3]"));
          assertThat(report.event("push_many").get("resp")).isEqualTo(json("{'n':3}"));
          assertThat(report.event("unknown")).isEqualTo(json("{'type':'unknown','status':'error','resp':"
              + "{'event':'no_such_event','payload':{'x':1},'reason':'unknown event'}}"));
        }
        case "error_reply" -> assertThat(report.event("error_reply")).isEqualTo(
            json("{'type':'error_reply','status':'error','resp':{'reason':'bad'}}"));
        case "timeout" -> {
          assertThat(report.event("noreply").get("status").asText()).isEqualTo("timeout");
          assertThat(report.event("too_slow").get("status").asText()).isEqualTo("timeout");
          assertThat(report.event("slow")).isEqualTo(json("{'type':'slow','status':'ok','resp':{'ms':100}}"));
        }
        case "broadcast" -> assertThat(report.event("received")).isEqualTo(json("{'type':'received','a':"
            + "['to everyone'],'b':['to everyone','to everyone but me']}"));
        case "presence" -> {
          assertThat(report.event("after_join").get("list")).isEqualTo(json("[{'id':'ivy','name':'Ivy','status':"
              + "null},{'id':'jon','name':'Jon','status':null}]"));
          assertThat(report.event("after_update").get("list").get(1)).isEqualTo(
              json("{'id':'jon','name':'Jon','status':'away'}"));
          assertThat(report.event("after_leave").get("list")).isEqualTo(json("[{'id':'ivy','name':'Ivy','status':"
              + "null}]"));
          assertThat(report.events("onLeave")).contains(json("{'type':'onLeave','id':'jon','gone':true}"));
        }
        case "crash_rejoin" -> {
          assertThat(report.events("channel_error").get(0).get("reason")).isEqualTo(
              json(v18 ? "{'reason':'channel_crash'}" : "{}"));
          assertThat(report.event("rejoined").get("joins").asInt()).isEqualTo(2);
          assertThat(report.event("crash_push").get("status").asText()).isEqualTo("timeout");
          assertThat(report.event("echo").get("resp")).isEqualTo(json("{'after':'rejoin'}"));
        }
        case "server_stop" -> {
          assertThat(report.event("channel_close").get("payload")).isEqualTo(json("{}"));
          assertThat(report.event("stop").get("status").asText()).isEqualTo("timeout");
          assertThat(report.event("state").get("state").asText()).isEqualTo("closed");
        }
        case "binary" -> {
          assertThat(report.event("binary_echo").get("bytes")).isEqualTo(json("[0,1,2,3,254,255]"));
          assertThat(report.event("binary_push").get("resp")).isEqualTo(json("{'pushed':5}"));
          assertThat(report.event("binary_item").get("bytes")).isEqualTo(json("[0,1,2,3,4]"));
          assertThat(report.event("binary_broadcast").get("resp")).isEqualTo(json("{'broadcast':4}"));
          assertThat(report.event("binary_bcast").get("bytes")).isEqualTo(json("[255,254,253,252]"));
        }
        case "heartbeat" -> {
          assertThat(report.event("heartbeats").get("replies").asInt()).isGreaterThanOrEqualTo(3);
          assertThat(report.event("heartbeats").get("connected").asBoolean()).isTrue();
        }
        case "refused" -> {
          JsonNode refused = report.event("refused");
          assertThat(refused.get("closes")).isEqualTo(json("[1006,1006]"));
          assertThat(refused.get("connected").asBoolean()).isFalse();
          assertThat(server.connections()).isEmpty();
        }
        case "v1" -> {
          assertThat(report.event("join").get("resp")).isEqualTo(json("{'joined':'room:v1','params':{'name':"
              + "'Rita','presence':false}}"));
          assertThat(report.event("echo").get("resp")).isEqualTo(json("{'v':1}"));
          assertThat(report.event("error_reply").get("resp")).isEqualTo(json("{'reason':'bad'}"));
          assertThat(report.event("broadcasted").get("payload")).isEqualTo(json("{'v1':true}"));
          assertThat(report.event("leave").get("status").asText()).isEqualTo("ok");
          assertThat(server.takeConnection(ClientKit.WAIT).vsn()).isEqualTo("1.0.0");
        }
        case "disconnect_by_id" -> {
          assertThat(report.event("disconnect_me").get("status").asText()).isEqualTo("ok");
          JsonNode closed = report.event("closed");
          assertThat(closed.get("closes").get(0).asInt()).isEqualTo(version.disconnectCloseCode());
          if (v18) {
            assertThat(closed.get("opens").asInt()).as("phoenix.js 1.8 reconnects after 1001").isEqualTo(2);
          }
        }
        case "auth_token" -> assertThat(report.event("whoami").get("resp")).isEqualTo(
            json("{'auth_token':'secret-token','user_id':'tokuser'}"));
        default -> throw new AssertionError("no expectations for scenario " + scenario);
      }
    }
  }

  private static JsonNode json(String singleQuoted) {
    try {
      return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(singleQuoted, e);
    }
  }
}
