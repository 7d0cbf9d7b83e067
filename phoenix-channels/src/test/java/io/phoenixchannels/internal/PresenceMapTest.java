package io.phoenixchannels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.Presence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The persistent presence map behaves as a {@link LinkedHashMap} would, and never changes a version it handed out. */
class PresenceMapTest {
  /**
   * Keys whose hash codes collide ("Aa" and "BB", and the four-letter keys made of them), keys that share most low
   * bits of the hash, and ordinary ones, so that collisions, deep nodes and lifted entries are all reached.
   */
  private static final List<String> KEYS = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB", "ivy", "jon",
      "__proto__", "u1", "u2", "u33", "u34", "u35", "user:1024", "user:2048");

  record Op(boolean put, int keyIndex, int version) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.of(true, true, false),
        Arbitraries.integers().between(0, KEYS.size() - 1), Arbitraries.integers().between(0, 3)).as(Op::new);
    return op.list().ofMaxSize(60);
  }

  @Property(tries = 300)
  void everyVersionEqualsTheLinkedHashMapOfTheSameChanges(@ForAll("ops") List<Op> ops) {
    PresenceMap map = PresenceMap.EMPTY;
    Map<String, Presence> model = new LinkedHashMap<>();
    List<PresenceMap> versions = new ArrayList<>();
    List<List<Presence>> expected = new ArrayList<>();
    for (Op op : ops) {
      String key = KEYS.get(op.keyIndex());
      if (op.put()) {
        Presence presence = new Presence(key, List.of());
        map = map.put(key, presence);
        model.put(key, presence);
      } else {
        map = map.remove(key);
        model.remove(key);
      }
      assertThat(map.size()).isEqualTo(model.size());
      for (String any : KEYS) {
        assertThat(map.get(any)).isSameAs(model.get(any));
      }
      versions.add(map);
      expected.add(List.copyOf(model.values()));
    }
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i).list()).containsExactlyElementsOf(expected.get(i));
    }
  }

  @Test
  void aKeyKeepsItsPlaceWhenItsValueChangesAndComesLastWhenItReturns() {
    Presence a1 = new Presence("a", List.of());
    Presence a2 = new Presence("a", List.of());
    Presence b = new Presence("b", List.of());
    PresenceMap map = PresenceMap.EMPTY.put("a", a1).put("b", b).put("a", a2);
    assertThat(map.list()).containsExactly(a2, b);
    assertThat(map.remove("a").put("a", a1).list()).containsExactly(b, a1);
    assertThat(map.toMap().keySet()).containsExactly("a", "b");
  }

  @Test
  void aListAfterMuchComingAndGoingIsStillInOrderOfArrival() {
    PresenceMap map = PresenceMap.EMPTY;
    List<Presence> expected = new ArrayList<>();
    for (int round = 0; round < 50; round++) {
      for (String key : List.of("a", "b", "c")) {
        map = map.remove(key);
        Presence presence = new Presence(key, List.of());
        map = map.put(key, presence);
        expected.removeIf(p -> p.key().equals(key));
        expected.add(presence);
      }
      map = map.put("steady", new Presence("steady", List.of()));
      if (round == 0) {
        expected.add(map.get("steady"));
      }
    }
    // The places span far more than four times the keys here, so the list is sorted rather than placed.
    assertThat(map.list()).containsExactlyElementsOf(expected);
  }

  @Test
  void removingAnAbsentKeyOrPuttingTheSameValueGivesTheSameMap() {
    Presence a = new Presence("a", List.of());
    PresenceMap map = PresenceMap.EMPTY.put("a", a);
    assertThat(map.remove("b")).isSameAs(map);
    assertThat(map.put("a", a)).isSameAs(map);
    assertThat(map.remove("a").isEmpty()).isTrue();
  }
}
