package org.kelian.core.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;

class LiveTokensTest {

  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  final byte[] key = new byte[32];
  final LiveTokens tokens;

  LiveTokensTest() {
    Arrays.fill(key, (byte) 7);
    tokens = new LiveTokens(key);
  }

  static LiveClaims claims(LiveRole role) {
    return new LiveClaims(UUID.randomUUID(), "村小1 接收教室1 · 李老师", UUID.randomUUID(), UUID.randomUUID(), role, UUID.randomUUID(), null,
        NOW.plusSeconds(300));
  }

  @Test
  void aTokenCarriesItsClaimsUntilItExpires() {
    LiveClaims c = claims(LiveRole.RECEIVER);
    String t = tokens.sign(c);
    assertEquals(c, tokens.verify(t, NOW));
    assertEquals(c, tokens.verify(t, NOW.plusSeconds(299)));
    assertEquals("live_token_expired", assertThrows(KelianException.class, () -> tokens.verify(t, NOW.plusSeconds(300))).code());
  }

  @Test
  void aChangedClaimOrAnotherKeyIsRefused() {
    String t = tokens.sign(claims(LiveRole.RECEIVER));
    String payload = t.substring(0, t.indexOf('.'));
    JsonObject j = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).put("r", "lead");
    String promoted = Base64.getUrlEncoder().withoutPadding().encodeToString(j.encode().getBytes(StandardCharsets.UTF_8))
        + t.substring(t.indexOf('.'));
    assertEquals("live_token_invalid", assertThrows(KelianException.class, () -> tokens.verify(promoted, NOW)).code());

    byte[] other = key.clone();
    other[0] = 8;
    String foreign = new LiveTokens(other).sign(claims(LiveRole.LEAD));
    assertEquals("live_token_invalid", assertThrows(KelianException.class, () -> tokens.verify(foreign, NOW)).code());
  }

  @Test
  void garbageIsRefusedWithoutAnInternalError() {
    for (String bad : new String[] {null, "", ".", "abc", "a.b.c", "!!!.???", "x".repeat(5000), "e30.AAAA", "e30." + "A".repeat(43)}) {
      assertEquals(401, assertThrows(KelianException.class, () -> tokens.verify(bad, NOW)).kind().httpStatus(), String.valueOf(bad));
    }
    assertThrows(IllegalArgumentException.class, () -> new LiveTokens(new byte[16]));
  }
}
