package org.kelian.core.live;

import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

/**
 * When a class room opens, how long a room token lasts, how many classrooms a browser mesh holds, and how long a
 * classroom whose connection was lost keeps its place.
 */
public record LiveOptions(int openBeforeMinutes, int tokenTtlSeconds, int meshLimit, int reconnectGraceSeconds) {

  public static final Setting OPEN_BEFORE_MINUTES = Setting.of("KELIAN_LIVE_OPEN_BEFORE_MINUTES", "live.openBeforeMinutes", "15",
      "Minutes before a scheduled class starts that its room opens (to test camera and sound)");
  public static final Setting TOKEN_TTL_SECONDS = Setting.of("KELIAN_LIVE_TOKEN_TTL_SECONDS", "live.tokenTtlSeconds", "300",
      "Lifetime of a room token from POST /sessions/{id}/join; a page reconnecting later asks for a new one");
  public static final Setting MESH_LIMIT = Setting.of("KELIAN_LIVE_MESH_LIMIT", "live.meshLimit", "4",
      "Most classrooms (lead and receivers) in one browser-mesh room; observers come on top, up to the same number");

  public static final Setting RECONNECT_GRACE_SECONDS = Setting.of("KELIAN_LIVE_RECONNECT_GRACE_SECONDS", "live.reconnectGraceSeconds", "20",
      "Seconds a classroom whose connection dropped keeps its place: coming back within them, its media connections are kept "
          + "(the others are told it left only after them); 0: it leaves at once (0 to 300)");

  public static final List<Setting> SETTINGS = List.of(OPEN_BEFORE_MINUTES, TOKEN_TTL_SECONDS, MESH_LIMIT, RECONNECT_GRACE_SECONDS);

  /** With the default reconnect grace (20 s). */
  public LiveOptions(int openBeforeMinutes, int tokenTtlSeconds, int meshLimit) {
    this(openBeforeMinutes, tokenTtlSeconds, meshLimit, 20);
  }

  public LiveOptions {
    if (openBeforeMinutes < 0 || openBeforeMinutes > 240) {
      throw new ConfigException(OPEN_BEFORE_MINUTES.env() + " is 0..240 minutes");
    }
    if (tokenTtlSeconds < 30 || tokenTtlSeconds > 86400) {
      throw new ConfigException(TOKEN_TTL_SECONDS.env() + " is 30..86400 seconds");
    }
    if (meshLimit < 2 || meshLimit > 16) {
      throw new ConfigException(MESH_LIMIT.env() + " is 2..16 classrooms");
    }
    if (reconnectGraceSeconds < 0 || reconnectGraceSeconds > 300) {
      throw new ConfigException(RECONNECT_GRACE_SECONDS.env() + " is 0..300 seconds");
    }
  }

  public static LiveOptions from(Config c) {
    return new LiveOptions(c.getInt(OPEN_BEFORE_MINUTES), c.getInt(TOKEN_TTL_SECONDS), c.getInt(MESH_LIMIT), c.getInt(RECONNECT_GRACE_SECONDS));
  }
}
