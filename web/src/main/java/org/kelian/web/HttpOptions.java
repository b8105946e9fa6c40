package org.kelian.web;

import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** The HTTP server. */
public record HttpOptions(String host, int port, int jsonBodyLimitBytes) {

  public static final Setting HOST = Setting.of("KELIAN_HTTP_HOST", "http.host", "0.0.0.0", "Address the HTTP server binds");
  public static final Setting PORT = Setting.of("KELIAN_HTTP_PORT", "http.port", "8080", "HTTP port (0 picks a free one)");
  public static final Setting JSON_LIMIT = Setting.of("KELIAN_HTTP_JSON_LIMIT_BYTES", "http.jsonBodyLimitBytes", "8388608",
      "Largest JSON request body accepted (catalog imports are the largest); bigger ones get 413");

  public static final List<Setting> SETTINGS = List.of(HOST, PORT, JSON_LIMIT);

  public static HttpOptions from(Config c) {
    return new HttpOptions(c.require(HOST), c.getInt(PORT), c.getInt(JSON_LIMIT));
  }

  public HttpOptions withPort(int newPort) {
    return new HttpOptions(host, newPort, jsonBodyLimitBytes);
  }
}
