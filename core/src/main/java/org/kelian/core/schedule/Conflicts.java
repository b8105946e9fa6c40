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

  private static final java.util.List<String> WEEKDAYS_ZH = java.util.List.of("一", "二", "三", "四", "五", "六", "日");

  /** When a lesson of a school's own timetable holds the resource, e.g. 王老师 周三第3节在城关一小有课（三年级1班 音乐，…）. */
  static String timetableZh(String kind, String who, String lesson, String school, int weekday, int period, OffsetDateTime from,
                            OffsetDateTime to) {
    String subject = switch (kind) {
      case "classroom" -> "教室「" + who + "」";
      default -> who;
    };
    return subject + " 周" + WEEKDAYS_ZH.get(weekday - 1) + "第" + period + "节在" + school + "有课（" + lesson + "，" + span(from, to)
        + (from.atZoneSameInstant(ZONE).getDayOfWeek().getValue() == weekday ? "" : "，调休按周" + WEEKDAYS_ZH.get(weekday - 1) + "课表") + "）";
  }

  static String timetableEn(String kind, String who, String lesson, String school, int weekday, int period, OffsetDateTime from,
                            OffsetDateTime to) {
    String day = java.time.DayOfWeek.of(weekday).getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.ENGLISH);
    String verb = switch (kind) {
      case "teacher" -> who + " teaches ";
      case "classroom" -> "Classroom " + who + " holds ";
      default -> who + " has ";
    };
    return verb + lesson + " in period " + period + " on " + day + "s at " + school + " (" + span(from, to)
        + (from.atZoneSameInstant(ZONE).getDayOfWeek().getValue() == weekday ? "" : ", a make-up day on " + day + "'s timetable") + ")";
  }
}
