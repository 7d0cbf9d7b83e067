package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The callbacks a trace's scenario script registered on phoenix.js, as far as its notes show them: a script notes
 * what its callbacks see, so a callback that left no note either was not registered or never fired, and the
 * replay registers the same ones on this client. Pushes and joins always had their ok/error/timeout receivers
 * (every push and join outcome of the traces is noted); socket and channel callbacks likewise.
 *
 * @param reportedEvents events the script subscribed to with {@code channel.on(event)} and noted: the client's
 *     messages of these events are reported and compared one by one
 * @param countedEvents events the harness only counted (its {@code tick counts} note)
 * @param leaveOutcomes whether the script registered receivers on its leaves ({@code leave ok} notes)
 * @param presenceSyncs whether the script kept a Presence of its channels and noted its syncs
 *     ({@code presence.onSync} notes, with the list)
 */
record ScriptCallbacks(Set<String> reportedEvents, Set<String> countedEvents, boolean leaveOutcomes,
    boolean presenceSyncs) {

  static ScriptCallbacks of(List<JsonNode> lines, String conn) {
    Set<String> reported = new HashSet<>();
    Set<String> counted = new HashSet<>();
    boolean leaveOutcomes = false;
    boolean presenceSyncs = false;
    for (JsonNode line : lines) {
      if (!"note".equals(line.get("dir").asText())) {
        continue;
      }
      String msg = line.path("msg").asText();
      boolean ours = conn.equals(line.path("conn").asText());
      if (ours && msg.matches("on\\(.+\\)")) {
        reported.add(msg.substring("on(".length(), msg.length() - 1));
      } else if (ours && msg.startsWith("leave ")) {
        leaveOutcomes = true;
      } else if (ours && msg.equals("presence.onSync")) {
        presenceSyncs = true;
      } else if ("tick counts".equals(msg) && line.has(conn)) {
        counted.add("tick");
      }
    }
    return new ScriptCallbacks(Set.copyOf(reported), Set.copyOf(counted), leaveOutcomes, presenceSyncs);
  }
}
