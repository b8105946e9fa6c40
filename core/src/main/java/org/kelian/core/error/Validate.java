package org.kelian.core.error;

import java.util.UUID;

/** Input checks that answer with a bilingual 400 naming the field. */
public final class Validate {

  private Validate() {
  }

  public static String text(String value, String field, int maxLength) {
    if (value == null || value.isBlank()) {
      throw KelianException.invalid("field_required", "缺少必填字段：" + field, "Missing required field: " + field);
    }
    return maxLength(value.strip(), field, maxLength);
  }

  public static String optionalText(String value, String field, int maxLength) {
    return value == null ? null : maxLength(value.strip(), field, maxLength);
  }

  private static String maxLength(String value, String field, int maxLength) {
    if (value.codePointCount(0, value.length()) > maxLength) {
      throw KelianException.invalid("field_too_long", "字段过长：" + field + "（最多 " + maxLength + " 个字符）",
          "Field too long: " + field + " (at most " + maxLength + " characters)");
    }
    if (value.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')) {
      throw KelianException.invalid("field_control_chars", "字段含有控制字符：" + field, "Field contains control characters: " + field);
    }
    return value;
  }

  public static UUID uuid(String value, String field) {
    if (value == null || value.isBlank()) {
      throw KelianException.invalid("field_required", "缺少必填字段：" + field, "Missing required field: " + field);
    }
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      throw KelianException.invalid("invalid_id", "无效的编号：" + field, "Not a valid id: " + field);
    }
  }

  public static UUID optionalUuid(String value, String field) {
    return value == null || value.isBlank() ? null : uuid(value, field);
  }

  public static int intInRange(String value, String field, int dflt, int min, int max) {
    if (value == null || value.isBlank()) {
      return dflt;
    }
    try {
      int v = Integer.parseInt(value.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw KelianException.invalid("invalid_number", field + " 必须是 " + min + " 到 " + max + " 之间的整数",
        field + " must be a whole number from " + min + " to " + max);
  }

  /** An ISO date (2026-09-01), required. */
  public static java.time.LocalDate date(String value, String field) {
    try {
      return java.time.LocalDate.parse(text(value, field, 10));
    } catch (java.time.format.DateTimeParseException e) {
      throw KelianException.invalid("invalid_date", "字段 " + field + " 应为日期（如 2026-09-01）", "Field " + field + " must be a date (e.g. 2026-09-01)");
    }
  }
}
