package dev.tokenguard.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay memory stays bounded and still never accepts a proof id twice. */
class ProofReplaysTest {
  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");

  @Test
  void anIdIsAcceptedOnceAndForgottenOnlyAfterItsProofIsTooOld() {
    ProofReplays replays = new ProofReplays(100, clock, null);
    Instant iat = clock.instant();
    Instant forgetAt = iat.plusSeconds(120);
    assertThat(replays.record("a", iat, forgetAt)).isEqualTo(ProofReplays.Verdict.FIRST);
    assertThat(replays.record("a", iat, forgetAt)).isEqualTo(ProofReplays.Verdict.REPLAYED);
    assertThat(replays.record("b", iat, forgetAt)).isEqualTo(ProofReplays.Verdict.FIRST);
    clock.advance(Duration.ofSeconds(119));
    assertThat(replays.record("a", iat, forgetAt)).isEqualTo(ProofReplays.Verdict.REPLAYED);
  }

  @Test
  void whenFullAnIdForgottenForRoomIsNeverAcceptedAgain() {
    int size = 50;
    ProofReplays replays = new ProofReplays(size, clock, null);
    List<String> ids = new ArrayList<>();
    List<Instant> issued = new ArrayList<>();
    for (int i = 0; i < 20 * size; i++) {
      clock.advance(Duration.ofMillis(10));
      String id = "id-" + i;
      ids.add(id);
      issued.add(clock.instant());
      assertThat(replays.record(id, clock.instant(), clock.instant().plusSeconds(120))).isEqualTo(ProofReplays.Verdict.FIRST);
    }
    int forgottenForRoom = 0;
    for (int i = 0; i < ids.size(); i++) {
      ProofReplays.Verdict again = replays.record(ids.get(i), issued.get(i), issued.get(i).plusSeconds(120));
      assertThat(again).as(ids.get(i)).isNotEqualTo(ProofReplays.Verdict.FIRST);
      if (again == ProofReplays.Verdict.BEYOND_MEMORY) {
        forgottenForRoom++;
      }
    }
    assertThat(forgottenForRoom).as("most ids left the memory, and their age now refuses them").isGreaterThan(size);
    // a new proof, issued after every forgotten one, is still accepted
    clock.advance(Duration.ofMillis(10));
    assertThat(replays.record("fresh", clock.instant(), clock.instant().plusSeconds(120))).isEqualTo(ProofReplays.Verdict.FIRST);
  }
}
