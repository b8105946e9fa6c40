package org.kelian.core.auth;

import java.time.Duration;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** Accounts and sessions. */
public record AuthOptions(String adminPassword, Duration sessionTtl, boolean secureCookie) {

  public static final Setting ADMIN_PASSWORD = Setting.of("KELIAN_ADMIN_PASSWORD", "auth.adminPassword", null,
      "Password of the first district admin 'admin', created on first start; when unset a random one is generated and printed once");
  public static final Setting SESSION_TTL_HOURS = Setting.of("KELIAN_SESSION_TTL_HOURS", "auth.sessionTtlHours", "12",
      "How long a login token or session cookie stays valid");
  public static final Setting SECURE_COOKIE = Setting.of("KELIAN_SECURE_COOKIE", "auth.secureCookie", "false",
      "Mark the session cookie Secure (set true behind HTTPS; production requires it)");

  public static final List<Setting> SETTINGS = List.of(ADMIN_PASSWORD, SESSION_TTL_HOURS, SECURE_COOKIE);

  public static AuthOptions from(Config c) {
    return new AuthOptions(c.get(ADMIN_PASSWORD), Duration.ofHours(c.getLong(SESSION_TTL_HOURS)), c.getBoolean(SECURE_COOKIE));
  }
}
