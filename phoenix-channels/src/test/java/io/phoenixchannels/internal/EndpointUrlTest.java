package io.phoenixchannels.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointUrlTest {

  @Test
  void appendsTheTransportPathThenParamsThenVsn() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("user_id", "alice");
    params.put("token", "good");
    URI uri = EndpointUrl.forTransport(EndpointUrl.parse("ws://127.0.0.1:4300/socket"), "websocket",
        EndpointUrl.query(params, "2.0.0"), true);
    assertThat(uri).hasToString("ws://127.0.0.1:4300/socket/websocket?user_id=alice&token=good&vsn=2.0.0");
  }

  @Test
  void sendsOnlyVsnWithoutParams() {
    assertThat(EndpointUrl.query(Map.of(), "1.0.0")).isEqualTo("vsn=1.0.0");
  }

  @Test
  void flattensNestedParamsAsPhoenixJsDoes() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("b", "c");
    inner.put("d", Map.of("e", 1));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("a", inner);
    params.put("list", List.of("x", "y"));
    assertThat(EndpointUrl.query(params, "2.0.0"))
        .isEqualTo("a%5Bb%5D=c&a%5Bd%5D%5Be%5D=1&list%5B0%5D=x&list%5B1%5D=y&vsn=2.0.0");
  }

  @Test
  void encodesLikeEncodeUriComponent() {
    assertThat(EndpointUrl.encodeUriComponent("a b&c=d/é!~*'()")).isEqualTo("a%20b%26c%3Dd%2F%C3%A9!~*'()");
  }

  @Test
  void skipsNullParams() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("gone", null);
    params.put("kept", 1);
    assertThat(EndpointUrl.query(params, "2.0.0")).isEqualTo("kept=1&vsn=2.0.0");
  }

  @Test
  void mapsSchemesForEachTransport() {
    assertThat(EndpointUrl.forTransport(EndpointUrl.parse("http://h/socket"), "websocket", "vsn=2.0.0", true))
        .hasToString("ws://h/socket/websocket?vsn=2.0.0");
    assertThat(EndpointUrl.forTransport(EndpointUrl.parse("https://h/socket"), "websocket", "vsn=2.0.0", true))
        .hasToString("wss://h/socket/websocket?vsn=2.0.0");
    assertThat(EndpointUrl.forTransport(EndpointUrl.parse("wss://h:8443/socket"), "longpoll", "vsn=2.0.0", false))
        .hasToString("https://h:8443/socket/longpoll?vsn=2.0.0");
    assertThat(EndpointUrl.forTransport(EndpointUrl.parse("ws://h/socket"), "longpoll", "vsn=2.0.0", false))
        .hasToString("http://h/socket/longpoll?vsn=2.0.0");
  }

  @Test
  void keepsAQueryAlreadyInTheEndpointAndATrailingSlashOut() {
    assertThat(EndpointUrl.forTransport(EndpointUrl.parse("ws://h/socket/?x=1"), "websocket", "vsn=2.0.0", true))
        .hasToString("ws://h/socket/websocket?x=1&vsn=2.0.0");
  }

  @Test
  void refusesBadUrlsWithMessagesThatSayWhatToDo() {
    assertThatThrownBy(() -> EndpointUrl.parse("ftp://h/socket"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use ws://, wss://, http:// or https://");
    assertThatThrownBy(() -> EndpointUrl.parse("localhost:4000/socket"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme");
    assertThatThrownBy(() -> EndpointUrl.parse("ws:///socket"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no host");
    assertThatThrownBy(() -> EndpointUrl.parse("ws://h/so cket"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed socket URL");
    assertThatThrownBy(() -> EndpointUrl.parse(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }
}
