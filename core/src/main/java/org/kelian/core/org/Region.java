package org.kelian.core.org;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A region with its national code (行政区划代码): a province (两位 + 0000, e.g. 370000), a city (四位 + 00, 371300),
 * a county (six digits, 371321) or a town (nine digits, 371321101). The level and the parent follow from the code.
 */
public record Region(String code, String name, Level level, String parentCode) {

  public enum Level {
    PROVINCE, CITY, COUNTY, TOWN;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The level a code stands for, or empty when it is not a region code. */
  public static Optional<Level> levelOf(String code) {
    if (code == null) {
      return Optional.empty();
    }
    if (code.matches("\\d{9}")) {
      return Optional.of(Level.TOWN);
    }
    if (!code.matches("\\d{6}") || code.startsWith("00")) {
      return Optional.empty();
    }
    if (code.endsWith("0000")) {
      return Optional.of(Level.PROVINCE);
    }
    return Optional.of(code.endsWith("00") ? Level.CITY : Level.COUNTY);
  }

  /** The parent's code: a town's county, a county's city, a city's province; none for a province. */
  public static String parentOf(String code, Level level) {
    return switch (level) {
      case PROVINCE -> null;
      case CITY -> code.substring(0, 2) + "0000";
      case COUNTY -> code.substring(0, 4) + "00";
      case TOWN -> code.substring(0, 6);
    };
  }

  public JsonObject toJson() {
    return new JsonObject().put("code", code).put("name", name).put("level", level.wire()).put("parentCode", parentCode);
  }
}
