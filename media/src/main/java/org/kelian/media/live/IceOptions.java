package org.kelian.media.live;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

/**
 * ICE servers handed to browsers for live classes: STUN URLs, TURN URLs and the coturn
 * {@code static-auth-secret} from which short-lived TURN credentials are derived (coturn's REST scheme).
 * With nothing configured, browsers on one LAN still connect through host candidates.
 */
public record IceOptions(List<String> stunUrls, List<String> turnUrls, String turnSecret, Duration turnTtl, boolean relayOnly) {

  public static final long MIN_TTL_SECONDS = 60;
  public static final long MAX_TTL_SECONDS = 86_400;

  public static final Setting STUN_URLS = Setting.of("KELIAN_STUN_URLS", "live.stunUrls", null,
      "Comma-separated STUN URLs for live classes, e.g. stun:stun.county.edu.cn:3478 (empty: none)");
  public static final Setting TURN_URLS = Setting.of("KELIAN_TURN_URLS", "live.turnUrls", null,
      "Comma-separated TURN URLs, e.g. turn:turn.county.edu.cn:3478?transport=udp,turns:turn.county.edu.cn:5349 (empty: none)");
  public static final Setting TURN_SECRET = Setting.of("KELIAN_TURN_SECRET", "live.turnSecret", null,
      "coturn static-auth-secret (use-auth-secret) for TURN credentials (required when KELIAN_TURN_URLS is set)");
  public static final Setting TURN_TTL_SECONDS = Setting.of("KELIAN_TURN_TTL_SECONDS", "live.turnTtlSeconds", "3600",
      "Lifetime of an issued TURN credential in seconds (60 to 86400)");

  public static final Setting TRANSPORT_POLICY = Setting.of("KELIAN_ICE_TRANSPORT_POLICY", "live.iceTransportPolicy", "all",
      "all: classrooms connect directly where they can, through TURN otherwise; relay: always through TURN (school networks "
          + "that let only the TURN server through, or classroom addresses kept private); relay needs KELIAN_TURN_URLS");

  public static final List<Setting> SETTINGS = List.of(STUN_URLS, TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS, TRANSPORT_POLICY);

  /** Without relay-only. */
  public IceOptions(List<String> stunUrls, List<String> turnUrls, String turnSecret, Duration turnTtl) {
    this(stunUrls, turnUrls, turnSecret, turnTtl, false);
  }

  public IceOptions {
    stunUrls = List.copyOf(stunUrls);
    turnUrls = List.copyOf(turnUrls);
  }

  public static IceOptions from(Config c) {
    List<String> stun = urls(c, STUN_URLS, "stun:", "stuns:");
    List<String> turn = urls(c, TURN_URLS, "turn:", "turns:");
    String secret = c.get(TURN_SECRET);
    if (!turn.isEmpty() && secret == null) {
      throw new ConfigException(TURN_SECRET.env() + " (" + TURN_SECRET.key() + ") is required when " + TURN_URLS.env()
          + " is set: it must equal coturn's static-auth-secret");
    }
    long ttl = c.getLong(TURN_TTL_SECONDS);
    if (ttl < MIN_TTL_SECONDS || ttl > MAX_TTL_SECONDS) {
      throw new ConfigException(TURN_TTL_SECONDS.env() + " must be between " + MIN_TTL_SECONDS + " and " + MAX_TTL_SECONDS
          + " seconds, got " + ttl);
    }
    String policy = c.require(TRANSPORT_POLICY);
    if (!policy.equals("all") && !policy.equals("relay")) {
      throw new ConfigException(TRANSPORT_POLICY.env() + " is all or relay, got '" + policy + "'");
    }
    if (policy.equals("relay") && turn.isEmpty()) {
      throw new ConfigException(TRANSPORT_POLICY.env() + "=relay needs a TURN server in " + TURN_URLS.env());
    }
    return new IceOptions(stun, turn, secret, Duration.ofSeconds(ttl), policy.equals("relay"));
  }

  private static List<String> urls(Config c, Setting s, String... schemes) {
    String raw = c.get(s);
    if (raw == null) {
      return List.of();
    }
    List<String> urls = Arrays.stream(raw.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
    for (String u : urls) {
      if (Arrays.stream(schemes).noneMatch(u::startsWith) || u.length() == u.indexOf(':') + 1) {
        throw new ConfigException(s.env() + " entries must start with " + String.join(" or ", schemes) + ", got '" + u + "'");
      }
    }
    return urls;
  }

  /** The secret stays out of logs. */
  @Override
  public String toString() {
    return "IceOptions[stunUrls=" + stunUrls + ", turnUrls=" + turnUrls + ", turnSecret=" + (turnSecret == null ? "none" : "***")
        + ", turnTtl=" + turnTtl + ", relayOnly=" + relayOnly + "]";
  }
}
