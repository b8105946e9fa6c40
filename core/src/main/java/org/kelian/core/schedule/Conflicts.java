package org.kelian.core.schedule;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The wording of conflicts, in Chinese and English, with times in Asia/Shanghai. */
final class Conflicts {

  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private Conflicts() {
  }

  static String busyZh(String kind, String title, OffsetDateTime from, OffsetDateTime to) {
    String what = switch (kind) {
      case "teacher" -> "授课教师";
      case "classroom" -> "教室";
      default -> "班级";
    };
    return what + "在 " + span(from, to) + " 已有课程《" + title + "》";
  }

  static String busyEn(String kind, String title, OffsetDateTime from, OffsetDateTime to) {
    return "The " + kind + " is already in \"" + title + "\" at " + span(from, to);
  }

  static String span(OffsetDateTime from, OffsetDateTime to) {
    return from.atZoneSameInstant(ZONE).format(DAY_TIME) + "–" + to.atZoneSameInstant(ZONE).format(TIME);
  }
}
