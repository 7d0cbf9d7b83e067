package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The board game's part of the reference app's {@code game:*} channel: players in Presence, and {@code move}. */
class ReferenceGameBoardTest {

  @Test
  void aPlayerIsTrackedWithColourAndPositionAndMovesThroughPresence() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient ada = WireClient.connect(server, "vsn=2.0.0");
        WireClient bob = WireClient.connect(server, "vsn=2.0.0")) {
      ada.join("1", "game:board", Map.of("player", "ada", "color", "#e6194b", "x", 2, "y", 3));
      JsonNode adaMeta = ada.next().get(4).get("joins").get("ada").get("metas").get(0);
      assertThat(adaMeta.get("color").asText()).isEqualTo("#e6194b");
      assertThat(adaMeta.get("x").asInt()).isEqualTo(2);
      assertThat(adaMeta.get("y").asInt()).isEqualTo(3);
      assertThat(ada.next().get(3).asText()).isEqualTo("presence_state");

      bob.join("1", "game:board", Map.of("player", "bob", "color", "#3cb44b"));
      ada.next(); // bob's join diff
      bob.next(); // bob's own diff
      assertThat(bob.next().get(4).fieldNames()).toIterable().containsExactlyInAnyOrder("ada", "bob");

      ada.send("1", "2", "game:board", "move", Map.of("x", 3, "y", 3));
      ada.expect("['1','2','game:board','phx_reply',{'response':{'x':3,'y':3},'status':'ok'}]");
      JsonNode diff = bob.next();
      assertThat(diff.get(3).asText()).isEqualTo("presence_diff");
      JsonNode moved = diff.get(4).get("joins").get("ada").get("metas").get(0);
      assertThat(moved.get("x").asInt()).isEqualTo(3);
      assertThat(moved.get("color").asText()).isEqualTo("#e6194b");
      assertThat(diff.get(4).get("leaves").get("ada").get("metas").get(0).get("x").asInt()).isEqualTo(2);
      assertThat(server.presenceList("game:board").get("ada").get("metas").get(0).get("x").asInt()).isEqualTo(3);
    }
  }

  @Test
  void joinsWithoutAPlayerTrackNothingAndCannotMove() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.join("1", "game:1", Map.of());
      client.send("1", "2", "game:1", "move", Map.of("x", 1, "y", 1));
      client.expect("['1','2','game:1','phx_reply',{'response':{'reason':'not a player (join with a player "
          + "param to move)'},'status':'error'}]");
      client.expectNothingMore();
      assertThat(server.presenceList("game:1").size()).isZero();
    }
  }
}
