package org.kelian.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import net.fortuna.ical4j.model.Period;
import org.junit.jupiter.api.Test;

/**
 * Sessions as stored become calendar events that a real iCalendar library (ical4j) expands back to exactly the
 * occurrences that are not cancelled: holidays, make-up days, moved and cancelled occurrences included.
 */
class SessionEventsTest {

  static final UUID ROOM = UUID.randomUUID();
  static final UUID TEACHER = UUID.randomUUID();

  static OffsetDateTime at(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(Conflicts.ZONE).toOffsetDateTime();
  }

  static SessionEvents.Occurrence occ(String original, String start, String end, String status) {
    return new SessionEvents.Occurrence(UUID.randomUUID(), at(start), at(end), at(original), status,
        original.equals(start) && !status.equals("cancelled") ? 0 : 1,
        at("2027-02-20T10:00"));
  }

  static SessionEvents.Occurrence plain(String start, int minutes) {
    return new SessionEvents.Occurrence(UUID.randomUUID(), at(start), at(start).plusMinutes(minutes), at(start), "scheduled", 0, null);
  }

  static SessionEvents.Session session(String title, boolean weekly, List<SessionEvents.Occurrence> occurrences) {
    return new SessionEvents.Session(UUID.randomUUID(), "dedicated", title, "音乐", "三年级", weekly, UUID.randomUUID(), "城关一小", ROOM, "录播室",
        TEACHER, "王老师", at("2027-02-01T08:00"), List.of(new SessionEvents.Receiver(UUID.randomUUID(), "后村小学", UUID.randomUUID(), "互动教室",
        null)), occurrences);
  }

  /** A spring term's Monday 09:00–09:40 class: a holiday on 15 Mar, make-up Saturday 20 Mar, one moved, one cancelled. */
  static List<SessionEvents.Occurrence> spring() {
    List<SessionEvents.Occurrence> out = new ArrayList<>();
    for (String day : List.of("2027-03-01", "2027-03-29", "2027-04-12", "2027-04-19", "2027-04-26")) {
      out.add(plain(day + "T09:00", 40));
    }
    out.add(occ("2027-03-08T09:00", "2027-03-10T14:00", "2027-03-10T14:40", "scheduled")); // moved to Wednesday afternoon
    out.add(occ("2027-04-05T09:00", "2027-04-05T10:00", "2027-04-05T10:50", "scheduled")); // later and longer, same day
    out.add(occ("2027-03-22T09:00", "2027-03-22T09:00", "2027-03-22T09:40", "cancelled"));
    out.add(occ("2027-03-20T09:00", "2027-03-20T09:00", "2027-03-20T09:40", "ended")); // 调休: Saturday runs Monday
    out.add(occ("2027-04-03T09:00", "2027-04-03T09:00", "2027-04-03T09:40", "cancelled")); // another 调休, cancelled
    return out;
  }

  @Test
  void weeklyAndOneOffSessionsExpandBackToTheOccurrencesThatAreNotCancelled() throws Exception {
    List<SessionEvents.Session> sessions = List.of(
        session("三年级音乐（专递课堂）", true, spring()),
        session("一次公开课", false, List.of(plain("2027-03-03T10:00", 40))),
        session("取消的公开课", false, List.of(occ("2027-03-04T10:00", "2027-03-04T10:00", "2027-03-04T10:40", "cancelled"))),
        // Cancelled for the rest of the term, and one that starts on a make-up Saturday.
        session("整体取消", true, List.of(occ("2027-03-02T08:00", "2027-03-02T08:00", "2027-03-02T08:40", "cancelled"),
            occ("2027-03-09T08:00", "2027-03-09T08:00", "2027-03-09T08:40", "cancelled"))),
        session("调休开头", true, List.of(plain("2027-03-06T15:00", 40), plain("2027-03-08T15:00", 40), plain("2027-03-22T15:00", 40))));
    List<ICalendar.Event> events = SessionEvents.of(sessions, "teacher", TEACHER);
    String ics = ICalendar.write("课联课表 · 王老师", events, Instant.parse("2027-02-21T00:00:00Z"));

    Set<String> expected = new TreeSet<>();
    sessions.forEach(s -> s.occurrences().stream().filter(o -> !o.cancelled())
        .forEach(o -> expected.add(o.startsAt().toInstant() + "/" + o.endsAt().toInstant())));
    assertEquals(expected, expand(ics), ics);

    String series = sessions.get(0).id() + SessionEvents.UID_DOMAIN;
    assertEquals(Set.of(3), events.stream().filter(e -> e.uid().equals(series)).map(ICalendar.Event::sequence).collect(Collectors.toSet()),
        "the master and its overrides carry the series' revision: two moves and a cancellation");
    String unfolded = ics.replace("\r\n ", "");
    assertTrue(unfolded.contains("EXDATE;TZID=Asia/Shanghai:20270315T090000"), "the holiday");
    assertTrue(unfolded.contains("EXDATE;TZID=Asia/Shanghai:20270322T090000"), "the cancelled one");
    assertTrue(unfolded.contains("RECURRENCE-ID;TZID=Asia/Shanghai:20270308T090000"), "the moved one");
    assertTrue(unfolded.contains("RRULE:FREQ=WEEKLY;UNTIL=20270426T010000Z"), unfolded);
    assertTrue(unfolded.contains("DESCRIPTION:类型：专递课堂\\n学科：音乐，年级：三年级\\n主讲：城关一小 录播室（王老师）\\n接收：后村小学 互动教室"), unfolded);
    assertTrue(unfolded.contains("SUMMARY:（已取消）取消的公开课\r\nLOCATION:城关一小 录播室\r\nDESCRIPTION:类型：专递课堂"), unfolded);
  }

  @Test
  void aClassroomFeedShowsTheReceivingRoomAsTheLocation() {
    SessionEvents.Session s = session("同步课", false, List.of(plain("2027-03-03T10:00", 40)));
    UUID receivingRoom = s.receivers().get(0).classroomId();
    assertEquals("后村小学 互动教室", SessionEvents.location(s, "classroom", receivingRoom));
    assertEquals("城关一小 录播室", SessionEvents.location(s, "classroom", ROOM));
    assertEquals("城关一小 录播室", SessionEvents.location(s, "teacher", TEACHER));
    assertFalse(SessionEvents.of(List.of(s), "classroom", ROOM).get(0).cancelled());
  }

  static Set<String> expand(String ics) throws Exception {
    return IcsExpansion.expand(ics, new Period<>(ZonedDateTime.parse("2026-01-01T00:00Z"), ZonedDateTime.parse("2029-01-01T00:00Z")));
  }

}
