package org.kelian.media.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;

class TurnCredentialsTest {

  private static final String USER = "0b8f6a2e-4c1d-4e7a-9d3b-2f5c8a1e6d40";

  @Test
  void matchesAnIndependentlyComputedVector() {
    // printf %s '1700000000:0b8f6a2e-4c1d-4e7a-9d3b-2f5c8a1e6d40' | openssl dgst -sha1 -hmac 'kelian-test-secret' -binary | base64
    TurnCredentials.Credential c = TurnCredentials.issue("kelian-test-secret", USER,
        Instant.ofEpochSecond(1_699_996_400L), Duration.ofHours(1));
    assertEquals("1700000000:" + USER, c.username());
    assertEquals("igRMURnl9qHlEJbfREz+5jhCW9Q=", c.password());
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), c.expiresAt());
  }

  @Test
  void usernameIsExpirySecondsColonUser() {
    Instant now = Instant.parse("2025-03-01T08:00:00.750Z");
    TurnCredentials.Credential c = TurnCredentials.issue("s", USER, now, Duration.ofSeconds(600));
    long expiry = now.getEpochSecond() + 600;
    assertEquals(expiry + ":" + USER, c.username());
    assertEquals(Instant.ofEpochSecond(expiry), c.expiresAt());
    assertTrue(c.username().matches("\\d+:[0-9a-f-]{36}"), c.username());
    assertEquals(28, c.password().length(), "base64 of 20 bytes with padding");
    assertTrue(c.password().endsWith("="));
  }

  @Test
  void expiryFollowsTheTtlAndThePasswordDependsOnSecretAndExpiry() {
    Instant now = Instant.ofEpochSecond(1_750_000_000L);
    TurnCredentials.Credential hour = TurnCredentials.issue("s", USER, now, Duration.ofHours(1));
    TurnCredentials.Credential day = TurnCredentials.issue("s", USER, now, Duration.ofDays(1));
    assertEquals(now.plusSeconds(3600), hour.expiresAt());
    assertEquals(now.plusSeconds(86_400), day.expiresAt());
    assertTrue(!hour.password().equals(day.password()));
    assertTrue(!hour.password().equals(TurnCredentials.issue("other", USER, now, Duration.ofHours(1)).password()));
    assertEquals(hour, TurnCredentials.issue("s", USER, now, Duration.ofHours(1)));
  }

  @Test
  void refusesBadInput() {
    Instant now = Instant.now();
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.issue("s", "a:b", now, Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.issue("s", " ", now, Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.issue("", USER, now, Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.issue("s", USER, now, Duration.ZERO));
  }

  @Test
  void optionsDefaultToNothing() {
    IceOptions o = IceOptions.from(Config.of(Map.of(), Map.of()));
    assertEquals(List.of(), o.stunUrls());
    assertEquals(List.of(), o.turnUrls());
    assertNull(o.turnSecret());
    assertEquals(Duration.ofHours(1), o.turnTtl());
    assertEquals(new JsonArray(), new IceServers(o).forUser(USER, Instant.now()));
  }

  @Test
  void optionsReadCommaSeparatedUrls() {
    IceOptions o = IceOptions.from(Config.of(
        Map.of("live.stunUrls", "stun:stun.county.edu.cn:3478", "live.turnTtlSeconds", "600"),
        Map.of("KELIAN_TURN_URLS", " turn:turn.county.edu.cn:3478?transport=udp , turns:turn.county.edu.cn:5349,",
            "KELIAN_TURN_SECRET", "s3cret")));
    assertEquals(List.of("stun:stun.county.edu.cn:3478"), o.stunUrls());
    assertEquals(List.of("turn:turn.county.edu.cn:3478?transport=udp", "turns:turn.county.edu.cn:5349"), o.turnUrls());
    assertEquals("s3cret", o.turnSecret());
    assertEquals(Duration.ofSeconds(600), o.turnTtl());
    assertTrue(!o.toString().contains("s3cret"), o.toString());
  }

  @Test
  void turnUrlsWithoutSecretAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> IceOptions.from(Config.of(Map.of(),
        Map.of("KELIAN_TURN_URLS", "turn:turn.county.edu.cn:3478"))));
    assertTrue(e.getMessage().contains("KELIAN_TURN_SECRET") && e.getMessage().contains("KELIAN_TURN_URLS"), e.getMessage());
  }

  @Test
  void ttlOutOfRangeIsRefused() {
    for (String ttl : List.of("59", "86401", "0", "-5")) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_TURN_TTL_SECONDS", ttl))), ttl);
      assertTrue(e.getMessage().contains("KELIAN_TURN_TTL_SECONDS"), e.getMessage());
    }
    assertThrows(ConfigException.class, () -> IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_TURN_TTL_SECONDS", "1h"))));
    assertEquals(Duration.ofSeconds(60), IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_TURN_TTL_SECONDS", "60"))).turnTtl());
    assertEquals(Duration.ofDays(1), IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_TURN_TTL_SECONDS", "86400"))).turnTtl());
  }

  @Test
  void urlsWithAWrongSchemeAreRefused() {
    assertThrows(ConfigException.class, () -> IceOptions.from(Config.of(Map.of(),
        Map.of("KELIAN_STUN_URLS", "turn:turn.county.edu.cn"))));
    assertThrows(ConfigException.class, () -> IceOptions.from(Config.of(Map.of(),
        Map.of("KELIAN_TURN_URLS", "https://turn.county.edu.cn", "KELIAN_TURN_SECRET", "s"))));
  }

  @Test
  void relayOnlyNeedsATurnServer() {
    assertEquals("all", new IceServers(IceOptions.from(Config.of(Map.of(), Map.of()))).transportPolicy());
    assertEquals("relay", new IceServers(IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_TURN_URLS", "turn:t:3478",
        "KELIAN_TURN_SECRET", "s", "KELIAN_ICE_TRANSPORT_POLICY", "relay")))).transportPolicy());
    assertThrows(ConfigException.class, () -> IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_ICE_TRANSPORT_POLICY", "relay"))));
    assertThrows(ConfigException.class, () -> IceOptions.from(Config.of(Map.of(), Map.of("KELIAN_ICE_TRANSPORT_POLICY", "direct"))));
  }

  @Test
  void iceServersJsonHasStunThenTurnWithCredential() {
    IceOptions o = new IceOptions(List.of("stun:a:3478", "stun:b:3478"),
        List.of("turn:t:3478?transport=udp", "turns:t:5349"), "kelian-test-secret", Duration.ofHours(1));
    Instant now = Instant.ofEpochSecond(1_699_996_400L);
    JsonArray servers = new IceServers(o).forUser(USER, now);
    assertEquals(2, servers.size());
    assertEquals(new JsonObject().put("urls", new JsonArray().add("stun:a:3478").add("stun:b:3478")), servers.getJsonObject(0));
    assertEquals(new JsonObject()
        .put("urls", new JsonArray().add("turn:t:3478?transport=udp").add("turns:t:5349"))
        .put("username", "1700000000:" + USER)
        .put("credential", "igRMURnl9qHlEJbfREz+5jhCW9Q="), servers.getJsonObject(1));
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), new IceServers(o).expiresAt(now));

    JsonArray stunOnly = new IceServers(new IceOptions(List.of("stun:a:3478"), List.of(), null, Duration.ofHours(1)))
        .forUser(USER, now);
    assertEquals(new JsonArray().add(new JsonObject().put("urls", new JsonArray().add("stun:a:3478"))), stunOnly);
  }
}
