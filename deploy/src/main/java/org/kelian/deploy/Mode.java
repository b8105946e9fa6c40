package org.kelian.deploy;

import org.kelian.core.config.Config.ConfigException;

/** {@code local}: self-contained, starts its own servers. {@code production}: external servers, strict settings. */
public enum Mode {
  LOCAL,
  PRODUCTION;

  static Mode parse(String s) {
    return switch (s.toLowerCase()) {
      case "local" -> LOCAL;
      case "production" -> PRODUCTION;
      default -> throw new ConfigException("KELIAN_MODE must be local or production, got '" + s + "'");
    };
  }
}
