package org.kelian.media.live;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

/**
 * Kurento mode of the class rooms: the media servers (a pool; each room lives on one), how many classrooms and
 * observers one room holds then, and the address at which the media servers reach this platform to hand in the
 * recordings they make. Without {@code KELIAN_KURENTO_URL} the rooms are a browser mesh.
 */
public record KurentoOptions(List<String> urls, int roomLimit, String recordingBaseUrl) {

  public static final Setting URLS = Setting.of("KELIAN_KURENTO_URL", "live.kurento.urls", null,
      "Comma-separated Kurento Media Server JSON-RPC URLs, e.g. ws://kms1.county.edu.cn:8888/kurento (empty: browser mesh)");
  public static final Setting ROOM_LIMIT = Setting.of("KELIAN_KURENTO_ROOM_LIMIT", "live.kurento.roomLimit", "30",
      "Kurento mode: most classrooms in one room, and most observers on top (2 to 200)");
  public static final Setting RECORDING_BASE_URL = Setting.of("KELIAN_KURENTO_RECORDING_BASE_URL", "live.kurento.recordingBaseUrl", null,
      "Kurento mode: this platform's address as the media servers reach it, e.g. http://10.0.0.5:8080; the servers POST the "
          + "class recordings there (empty: no server-side recording, the lead's page records as in mesh mode)");

  public static final List<Setting> SETTINGS = List.of(URLS, ROOM_LIMIT, RECORDING_BASE_URL);

  public KurentoOptions {
    urls = List.copyOf(urls);
  }

  /** Kurento mode is on. */
  public boolean enabled() {
    return !urls.isEmpty();
  }

  public static KurentoOptions from(Config c) {
    String raw = c.get(URLS);
    List<String> urls = raw == null ? List.of() : Arrays.stream(raw.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
    for (String u : urls) {
      if (!u.startsWith("ws://") && !u.startsWith("wss://")) {
        throw new ConfigException(URLS.env() + " entries are ws:// or wss:// URLs of Kurento Media Servers, got '" + u + "'");
      }
      try {
        if (URI.create(u).getHost() == null) {
          throw new ConfigException(URLS.env() + " entry '" + u + "' has no host");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(URLS.env() + " entry '" + u + "' is not a URL");
      }
    }
    int limit = c.getInt(ROOM_LIMIT);
    if (limit < 2 || limit > 200) {
      throw new ConfigException(ROOM_LIMIT.env() + " is 2..200, got " + limit);
    }
    String base = c.get(RECORDING_BASE_URL);
    if (base != null) {
      base = base.strip();
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      if (!base.startsWith("http://") && !base.startsWith("https://")) {
        throw new ConfigException(RECORDING_BASE_URL.env() + " is an http:// or https:// address, got '" + base + "'");
      }
    }
    return new KurentoOptions(urls, limit, base == null || base.isEmpty() ? null : base);
  }
}
