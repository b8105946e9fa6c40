package org.kelian.core.org;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.kelian.core.error.KelianException;

/**
 * A school's bell schedule (作息时间): numbered periods with start and end times, each on all school days or only
 * on some weekdays (a Monday with a flag-raising ceremony starts later). A cross-school session must fall inside
 * one period at every school taking part.
 */
public record BellSchedule(List<Period> periods) {

  public record Period(int number, LocalTime start, LocalTime end, Set<DayOfWeek> weekdays) {

    boolean on(DayOfWeek d) {
      return weekdays.contains(d);
    }
  }

  private static final Set<DayOfWeek> SCHOOL_DAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  /** The period on that (timetable) weekday that holds the whole of start..end, if one does. */
  public Optional<Period> holding(DayOfWeek day, LocalTime start, LocalTime end) {
    return periods.stream().filter(p -> p.on(day) && !start.isBefore(p.start()) && !end.isAfter(p.end())).findFirst();
  }

  public Optional<Period> period(DayOfWeek day, int number) {
    return periods.stream().filter(p -> p.on(day) && p.number() == number).findFirst();
  }

  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    periods.forEach(p -> {
      JsonArray days = new JsonArray();
      p.weekdays().forEach(d -> days.add(d.getValue()));
      out.add(new JsonObject().put("number", p.number()).put("start", p.start().toString()).put("end", p.end().toString()).put("weekdays", days));
    });
    return out;
  }

  /** Reads and checks a schedule as the API or the database holds it; refuses overlaps with the periods named. */
  public static BellSchedule parse(JsonArray a) {
    if (a == null || a.size() > 30) {
      throw KelianException.invalid("invalid_bell_schedule", "作息时间应为 0 到 30 个节次", "A bell schedule has 0 to 30 periods");
    }
    List<Period> periods = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof JsonObject p)) {
        throw bad("每个节次应为对象 {number, start, end, weekdays?}", "Each period is an object {number, start, end, weekdays?}");
      }
      Object n = p.getValue("number");
      if (!(n instanceof Integer number) || number < 1 || number > 20) {
        throw bad("节次编号应为 1 到 20 的整数", "A period number is a whole number from 1 to 20");
      }
      LocalTime start = time(p.getValue("start"));
      LocalTime end = time(p.getValue("end"));
      if (!end.isAfter(start)) {
        throw bad("第 " + number + " 节的下课时间应晚于上课时间", "Period " + number + " must end after it starts");
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      Object w = p.getValue("weekdays");
      if (w == null) {
        days.addAll(SCHOOL_DAYS);
      } else if (w instanceof JsonArray arr && !arr.isEmpty()) {
        for (Object d : arr) {
          if (!(d instanceof Integer i) || i < 1 || i > 7) {
            throw bad("weekdays 应为 1（周一）到 7（周日）的整数", "weekdays are whole numbers from 1 (Monday) to 7 (Sunday)");
          }
          days.add(DayOfWeek.of(i));
        }
      } else {
        throw bad("weekdays 应为非空数组", "weekdays must be a non-empty array");
      }
      periods.add(new Period(number, start, end, days));
    }
    for (int i = 0; i < periods.size(); i++) {
      for (int j = i + 1; j < periods.size(); j++) {
        Period x = periods.get(i);
        Period y = periods.get(j);
        boolean sameDay = x.weekdays().stream().anyMatch(y.weekdays()::contains);
        if (sameDay && (x.number() == y.number() || x.start().isBefore(y.end()) && y.start().isBefore(x.end()))) {
          throw bad("第 " + x.number() + " 节与第 " + y.number() + " 节在同一天重叠", "Periods " + x.number() + " and " + y.number() + " overlap on the same day");
        }
      }
    }
    periods.sort(java.util.Comparator.comparing(Period::start));
    return new BellSchedule(List.copyOf(periods));
  }

  private static LocalTime time(Object v) {
    if (v instanceof String s && s.matches("([01]\\d|2[0-3]):[0-5]\\d")) {
      return LocalTime.parse(s);
    }
    throw bad("时间应为 HH:mm（如 08:00）", "Times are HH:mm (e.g. 08:00)");
  }

  private static KelianException bad(String zh, String en) {
    return KelianException.invalid("invalid_bell_schedule", "作息时间有误：" + zh, "Invalid bell schedule: " + en);
  }
}
