package org.kelian.core.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;

class TermAndBellTest {

  /** Autumn 2026: 1 Sep (Tue) to 15 Jan; National Day 1–7 Oct, with Sat 10 Oct running Thursday's timetable. */
  static final Term AUTUMN = new Term(UUID.randomUUID(), "2026秋", LocalDate.of(2026, 9, 1), LocalDate.of(2027, 1, 15),
      List.of(new Term.Holiday("国庆", LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 7))),
      List.of(new Term.MakeUpDay(LocalDate.of(2026, 10, 10), DayOfWeek.THURSDAY)));

  @Test
  void teachingDaysFollowWeekdaysHolidaysAndMakeUpDays() {
    assertEquals(Optional.of(DayOfWeek.TUESDAY), AUTUMN.timetableDay(LocalDate.of(2026, 9, 1)));
    assertEquals(Optional.empty(), AUTUMN.timetableDay(LocalDate.of(2026, 9, 5)), "a Saturday");
    assertEquals(Optional.empty(), AUTUMN.timetableDay(LocalDate.of(2026, 10, 5)), "a holiday Monday");
    assertEquals(Optional.of(DayOfWeek.THURSDAY), AUTUMN.timetableDay(LocalDate.of(2026, 10, 10)), "调休 Saturday");
    assertEquals(Optional.empty(), AUTUMN.timetableDay(LocalDate.of(2026, 8, 31)), "before the term");
    // 20 weeks Monday 31 Aug .. Sunday 17 Jan; the National Day week still has Thu 8 and Fri 9 Oct.
    assertEquals(20, AUTUMN.teachingWeeks());
    // 99 weekdays from 1 Sep to 15 Jan, minus the five holiday weekdays, plus one make-up day.
    assertEquals(99 - 5 + 1, AUTUMN.teachingDays());
  }

  @Test
  void bellSchedulesWithWeekdayVariants() {
    BellSchedule b = BellSchedule.parse(new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "08:00").put("end", "08:40").put("weekdays", new JsonArray().add(2).add(3).add(4).add(5)))
        .add(new JsonObject().put("number", 1).put("start", "08:20").put("end", "09:00").put("weekdays", new JsonArray().add(1)))
        .add(new JsonObject().put("number", 2).put("start", "09:10").put("end", "09:50")));
    assertEquals(1, b.holding(DayOfWeek.TUESDAY, LocalTime.of(8, 0), LocalTime.of(8, 40)).orElseThrow().number());
    assertTrue(b.holding(DayOfWeek.MONDAY, LocalTime.of(8, 0), LocalTime.of(8, 40)).isEmpty(), "Monday starts later");
    assertEquals(LocalTime.of(8, 20), b.period(DayOfWeek.MONDAY, 1).orElseThrow().start());
    assertTrue(b.holding(DayOfWeek.SATURDAY, LocalTime.of(9, 10), LocalTime.of(9, 50)).isEmpty());
    assertEquals(3, b.toJson().size());
  }

  @Test
  void overlappingOrMalformedPeriodsAreRefused() {
    KelianException overlap = assertThrows(KelianException.class, () -> BellSchedule.parse(new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "08:00").put("end", "08:45"))
        .add(new JsonObject().put("number", 2).put("start", "08:40").put("end", "09:20"))));
    assertTrue(overlap.messageEn().contains("Periods 1 and 2 overlap"), overlap.messageEn());
    assertEquals("invalid_bell_schedule", assertThrows(KelianException.class, () -> BellSchedule.parse(new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "8:00").put("end", "08:45")))).code());
    assertThrows(KelianException.class, () -> BellSchedule.parse(new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "09:00").put("end", "08:45"))));
    assertThrows(KelianException.class, () -> BellSchedule.parse(new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "08:00").put("end", "08:45").put("weekdays", new JsonArray().add(8)))));
  }
}
