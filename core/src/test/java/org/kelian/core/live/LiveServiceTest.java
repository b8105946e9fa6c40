package org.kelian.core.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.schedule.ClassSession;
import org.kelian.core.schedule.SessionRequest;

/** Who sits where in a class room, and which occurrence's room is open: the rules without the servers. */
class LiveServiceTest {

  static final UUID URBAN = UUID.randomUUID();
  static final UUID VILLAGE = UUID.randomUUID();
  static final UUID VILLAGE_ROOM = UUID.randomUUID();
  static final UUID LEAD = UUID.randomUUID();
  static final UUID RECEIVING_TEACHER = UUID.randomUUID();

  static ClassSession session(String liveAudience, List<ClassSession.Occurrence> occurrences) {
    return new ClassSession(UUID.randomUUID(), "dedicated", "音乐", URBAN, UUID.randomUUID(), LEAD, null, "音乐", "三年级", null, null, true,
        true, true, true, liveAudience, "logged_in", null, null,
        List.of(new SessionRequest.Receiver(VILLAGE, VILLAGE_ROOM, null, RECEIVING_TEACHER)), occurrences);
  }

  static User user(UUID id, UUID school, Role... roles) {
    return new User(id, "u", "u", Set.of(roles), school, school == null ? "371321" : null);
  }

  static ClassSession.Occurrence at(String start, String end, String status) {
    return new ClassSession.Occurrence(UUID.randomUUID(), OffsetDateTime.parse(start), OffsetDateTime.parse(end), status, null, null);
  }

  @Test
  void everyoneSitsInTheirRoleOrIsRefused() {
    ClassSession s = session("participants", List.of());
    assertEquals(LiveRole.LEAD, LiveService.seat(user(LEAD, URBAN, Role.TEACHER), s).role());
    LiveService.Seat receiving = LiveService.seat(user(RECEIVING_TEACHER, VILLAGE, Role.RURAL_TEACHER), s);
    assertEquals(LiveRole.RECEIVER, receiving.role());
    assertEquals(VILLAGE_ROOM, receiving.classroomId());
    // the classroom PC of the receiving school, signed in with another of its accounts
    assertEquals(LiveRole.RECEIVER, LiveService.seat(user(UUID.randomUUID(), VILLAGE, Role.SCHOOL_ADMIN), s).role());
    assertEquals(LiveRole.OBSERVER, LiveService.seat(user(UUID.randomUUID(), null, Role.DISTRICT_ADMIN), s).role());
    assertEquals(LiveRole.OBSERVER, LiveService.seat(user(UUID.randomUUID(), URBAN, Role.SCHOOL_ADMIN), s).role());
    User colleague = user(UUID.randomUUID(), URBAN, Role.TEACHER);
    assertEquals("not_a_participant", assertThrows(KelianException.class, () -> LiveService.seat(colleague, s)).code());
    // an open class lets anyone signed in watch
    assertEquals(LiveRole.OBSERVER, LiveService.seat(colleague, session("logged_in", List.of())).role());
  }

  @Test
  void theRoomOfAnOccurrenceOpensBeforeItAndClosesWhenItEnds() {
    LiveService live = new LiveService(null, null, null, null, null, null, LiveFeed.NONE, new LiveOptions(15, 300, 4), Clock.systemUTC());
    ClassSession.Occurrence monday = at("2026-12-07T08:00+08:00", "2026-12-07T08:40+08:00", "scheduled");
    ClassSession.Occurrence tuesday = at("2026-12-08T08:00+08:00", "2026-12-08T08:40+08:00", "scheduled");
    ClassSession s = session("participants", List.of(monday, tuesday));
    assertEquals("room_not_open", assertThrows(KelianException.class,
        () -> live.openOccurrence(s, OffsetDateTime.parse("2026-12-07T07:44+08:00").toInstant())).code());
    assertEquals(monday, live.openOccurrence(s, OffsetDateTime.parse("2026-12-07T07:45+08:00").toInstant()));
    assertEquals(monday, live.openOccurrence(s, OffsetDateTime.parse("2026-12-07T08:39+08:00").toInstant()));
    KelianException closed = assertThrows(KelianException.class,
        () -> live.openOccurrence(s, OffsetDateTime.parse("2026-12-07T08:40+08:00").toInstant()));
    assertEquals("room_not_open", closed.code(), "the next one, on Tuesday");
    assertEquals(true, closed.messageZh().contains("12-08 07:45"), closed.messageZh());
    // a class started and not ended yet stays open past its time; an ended or cancelled one never opens again
    ClassSession running = session("participants", List.of(at("2026-12-07T08:00+08:00", "2026-12-07T08:40+08:00", "live")));
    assertEquals("live", live.openOccurrence(running, OffsetDateTime.parse("2026-12-07T09:30+08:00").toInstant()).status());
    ClassSession over = session("participants", List.of(at("2026-12-07T08:00+08:00", "2026-12-07T08:40+08:00", "ended"),
        at("2026-12-08T08:00+08:00", "2026-12-08T08:40+08:00", "cancelled")));
    assertEquals("no_open_class", assertThrows(KelianException.class,
        () -> live.openOccurrence(over, OffsetDateTime.parse("2026-12-07T08:10+08:00").toInstant())).code());
  }
}
