package org.kelian.core.org;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A term (学期): its dates, holidays, and make-up days (调休: a weekend day that runs a weekday's timetable).
 * A day is a teaching day when it is a weekday outside every holiday, or a make-up day; weekly sessions follow the
 * timetable of the weekday it stands for.
 */
public record Term(UUID id, String name, LocalDate startsOn, LocalDate endsOn, List<Holiday> holidays, List<MakeUpDay> makeUpDays) {

  public record Holiday(String name, LocalDate from, LocalDate to) {
    boolean covers(LocalDate d) {
      return !d.isBefore(from) && !d.isAfter(to);
    }
  }

  public record MakeUpDay(LocalDate date, DayOfWeek runsAs) {
  }

  /** The timetable weekday a date follows, or empty when there are no classes that day. */
  public Optional<DayOfWeek> timetableDay(LocalDate d) {
    if (d.isBefore(startsOn) || d.isAfter(endsOn)) {
      return Optional.empty();
    }
    for (MakeUpDay m : makeUpDays) {
      if (m.date().equals(d)) {
        return Optional.of(m.runsAs());
      }
    }
    if (d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY || holidays.stream().anyMatch(h -> h.covers(d))) {
      return Optional.empty();
    }
    return Optional.of(d.getDayOfWeek());
  }

  /** Teaching weeks: the weeks (Monday to Sunday) of the term that hold at least one teaching day. */
  public int teachingWeeks() {
    int weeks = 0;
    LocalDate monday = startsOn.minusDays(startsOn.getDayOfWeek().getValue() - 1L);
    for (LocalDate w = monday; !w.isAfter(endsOn); w = w.plusWeeks(1)) {
      for (int i = 0; i < 7; i++) {
        if (timetableDay(w.plusDays(i)).isPresent()) {
          weeks++;
          break;
        }
      }
    }
    return weeks;
  }

  public int teachingDays() {
    int n = 0;
    for (LocalDate d = startsOn; !d.isAfter(endsOn); d = d.plusDays(1)) {
      if (timetableDay(d).isPresent()) {
        n++;
      }
    }
    return n;
  }

  public JsonObject toJson() {
    JsonArray hs = new JsonArray();
    holidays.forEach(h -> hs.add(new JsonObject().put("name", h.name()).put("from", h.from().toString()).put("to", h.to().toString())));
    JsonArray ms = new JsonArray();
    makeUpDays.forEach(m -> ms.add(new JsonObject().put("date", m.date().toString()).put("runsAs", m.runsAs().getValue())));
    return new JsonObject().put("id", id.toString()).put("name", name).put("startsOn", startsOn.toString()).put("endsOn", endsOn.toString())
        .put("holidays", hs).put("makeUpDays", ms).put("teachingWeeks", teachingWeeks()).put("teachingDays", teachingDays())
        .put("days", ChronoUnit.DAYS.between(startsOn, endsOn) + 1);
  }

  public static List<Holiday> holidays(JsonArray a) {
    List<Holiday> out = new ArrayList<>();
    a.forEach(o -> {
      JsonObject h = (JsonObject) o;
      out.add(new Holiday(h.getString("name"), LocalDate.parse(h.getString("from")), LocalDate.parse(h.getString("to"))));
    });
    return out;
  }

  public static List<MakeUpDay> makeUpDays(JsonArray a) {
    List<MakeUpDay> out = new ArrayList<>();
    a.forEach(o -> {
      JsonObject m = (JsonObject) o;
      out.add(new MakeUpDay(LocalDate.parse(m.getString("date")), DayOfWeek.of(m.getInteger("runsAs"))));
    });
    return out;
  }
}
