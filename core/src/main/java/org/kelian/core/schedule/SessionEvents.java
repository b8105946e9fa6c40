package org.kelian.core.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns class sessions, as stored, into calendar events.
 *
 * <p>A weekly session is stored expanded: one occurrence per teaching day of its term (holidays left out, make-up
 * days 调休 added), each of which may later move or be cancelled. Calendars want the series back: a master VEVENT
 * with {@code RRULE:FREQ=WEEKLY;UNTIL=} at the session's usual weekday and time, an EXDATE for every week of the rule
 * with no occurrence (a holiday) and for every cancelled occurrence, an override VEVENT with RECURRENCE-ID for every
 * moved one, and a VEVENT of its own (own UID) for every occurrence the rule cannot produce (a make-up day runs a
 * Monday timetable on a Saturday). Cancellations are EXDATEs rather than overrides with STATUS:CANCELLED: Google,
 * Outlook and Apple all drop an EXDATE'd instance, while a cancelled override is shown struck through by some and
 * kept as busy by others. One-off sessions are single VEVENTs, STATUS:CANCELLED when cancelled, so that a
 * subscriber who had them sees them go.
 *
 * <p>Whatever the data, the events expand to exactly the occurrences that are not cancelled: the rule's weekday and
 * time are only chosen for readability (the most frequent original weekday and time), every rule instant is either
 * an occurrence's original time or excluded, and everything else stands alone.
 */
final class SessionEvents {

  static final String UID_DOMAIN = "@kelian";

  /** The words a calendar shows for each session type. */
  static final Map<String, String> TYPE_NAMES = Map.of("synchronous", "同步课堂", "dedicated", "专递课堂", "master_teacher", "名师课堂",
      "open_school", "名校网络课堂", "research", "教研");

  /** A receiving side, with the names a calendar shows. */
  record Receiver(UUID schoolId, String schoolName, UUID classroomId, String classroomName, UUID teacherId) {
  }

  /**
   * One occurrence: where it is now, where the weekly rule first put it ({@code originalStartsAt}), its status, and
   * its revision (moves and cancellations) with the time of the last one.
   */
  record Occurrence(UUID id, OffsetDateTime startsAt, OffsetDateTime endsAt, OffsetDateTime originalStartsAt, String status, int revision,
                    OffsetDateTime updatedAt) {

    boolean cancelled() {
      return "cancelled".equals(status);
    }
  }

  /** A session with what a calendar shows of it. */
  record Session(UUID id, String type, String title, String subject, String grade, boolean weekly, UUID leadSchoolId, String leadSchoolName,
                 UUID leadClassroomId, String leadClassroomName, UUID leadTeacherId, String leadTeacherName, OffsetDateTime createdAt,
                 List<Receiver> receivers, List<Occurrence> occurrences) {
  }

  private SessionEvents() {
  }

  /** The events of {@code sessions} as a feed of one teacher or classroom ({@code kind}, {@code resourceId}) shows them. */
  static List<ICalendar.Event> of(List<Session> sessions, String kind, UUID resourceId) {
    List<ICalendar.Event> out = new ArrayList<>();
    for (Session s : sessions) {
      String location = location(s, kind, resourceId);
      String description = description(s);
      if (s.weekly()) {
        weekly(s, location, description, out);
      } else {
        for (Occurrence o : s.occurrences()) {
          // A one-off session has one occurrence; should it ever have more, each keeps a UID of its own.
          String uid = (s.occurrences().size() == 1 ? s.id() : o.id()) + UID_DOMAIN;
          out.add(single(uid, s, o, location, description));
        }
      }
    }
    return out;
  }

  private static void weekly(Session s, String location, String description, List<ICalendar.Event> out) {
    List<Occurrence> occurrences = s.occurrences().stream().sorted(Comparator.comparing(Occurrence::originalStartsAt)).toList();
    if (occurrences.isEmpty()) {
      return;
    }
    Slot rule = usualSlot(occurrences);
    Map<Instant, Occurrence> onRule = new LinkedHashMap<>();
    List<Occurrence> alone = new ArrayList<>();
    for (Occurrence o : occurrences) {
      if (rule.equals(Slot.of(o.originalStartsAt())) && onRule.putIfAbsent(o.originalStartsAt().toInstant(), o) == null) {
        continue;
      }
      alone.add(o);
    }
    List<Occurrence> ruled = new ArrayList<>(onRule.values());
    ZonedDateTime first = ruled.get(0).originalStartsAt().atZoneSameInstant(Conflicts.ZONE);
    ZonedDateTime last = ruled.get(ruled.size() - 1).originalStartsAt().atZoneSameInstant(Conflicts.ZONE);
    // The rule's length: that of an occurrence that has not moved, else of the first one.
    Occurrence typical = ruled.stream().filter(o -> o.startsAt().isEqual(o.originalStartsAt())).findFirst().orElse(ruled.get(0));
    Duration length = Duration.between(typical.startsAt(), typical.endsAt());

    // A cancellation adds an EXDATE to the master and a move changes an override: the series' revision counts all
    // its occurrences' revisions, and the master and its overrides carry it alike, so that no client takes an
    // override for older than its master.
    int sequence = ruled.stream().mapToInt(Occurrence::revision).sum();
    Instant modified = ruled.stream().map(Occurrence::updatedAt).filter(Objects::nonNull).max(Comparator.naturalOrder())
        .map(OffsetDateTime::toInstant).orElse(instant(s.createdAt()));
    List<ZonedDateTime> exdates = new ArrayList<>();
    List<ICalendar.Event> overrides = new ArrayList<>();
    String uid = s.id() + UID_DOMAIN;
    for (ZonedDateTime t = first; !t.isAfter(last); t = t.plusWeeks(1)) {
      Occurrence o = onRule.get(t.toInstant());
      if (o == null || o.cancelled()) {
        exdates.add(t);
      } else if (!o.startsAt().isEqual(t.toOffsetDateTime()) || !o.endsAt().isEqual(t.plus(length).toOffsetDateTime())) {
        overrides.add(new ICalendar.Event(uid, zoned(o.startsAt()), zoned(o.endsAt()), null, null, t, s.title(), location, description,
            sequence, modified, false));
      }
    }
    boolean allCancelled = ruled.stream().allMatch(Occurrence::cancelled);
    out.add(new ICalendar.Event(uid, first, first.plus(length), last.toInstant(), exdates, null, summary(s.title(), allCancelled), location,
        description, sequence, modified, allCancelled));
    out.addAll(overrides);
    for (Occurrence o : alone) {
      out.add(single(o.id() + UID_DOMAIN, s, o, location, description));
    }
  }

  private static ICalendar.Event single(String uid, Session s, Occurrence o, String location, String description) {
    return new ICalendar.Event(uid, zoned(o.startsAt()), zoned(o.endsAt()), null, null, null, summary(s.title(), o.cancelled()), location,
        description, o.revision(), instant(o.updatedAt() == null ? s.createdAt() : o.updatedAt()), o.cancelled());
  }

  /** A weekday and a wall-clock time in Asia/Shanghai. */
  private record Slot(DayOfWeek day, LocalTime time) {
    static Slot of(OffsetDateTime t) {
      ZonedDateTime z = t.atZoneSameInstant(Conflicts.ZONE);
      return new Slot(z.getDayOfWeek(), z.toLocalTime());
    }
  }

  /** The most frequent original weekday and time; the earliest of equals. */
  private static Slot usualSlot(List<Occurrence> byOriginal) {
    Map<Slot, Long> counts = byOriginal.stream().collect(Collectors.groupingBy(o -> Slot.of(o.originalStartsAt()), LinkedHashMap::new,
        Collectors.counting()));
    Map<Slot, Integer> order = new HashMap<>();
    counts.keySet().forEach(k -> order.put(k, order.size()));
    return counts.entrySet().stream()
        .min(Comparator.<Map.Entry<Slot, Long>>comparingLong(e -> -e.getValue()).thenComparing(e -> order.get(e.getKey())))
        .orElseThrow().getKey();
  }

  /** Where the feed's teacher or classroom takes part: the receiving side it is on, else the lead classroom. */
  static String location(Session s, String kind, UUID resourceId) {
    for (Receiver r : s.receivers()) {
      boolean mine = "classroom".equals(kind) ? resourceId.equals(r.classroomId()) : resourceId.equals(r.teacherId());
      if (mine && !("teacher".equals(kind) && resourceId.equals(s.leadTeacherId()))) {
        return place(r.schoolName(), r.classroomName());
      }
    }
    return place(s.leadSchoolName(), s.leadClassroomName());
  }

  static String description(Session s) {
    StringBuilder d = new StringBuilder();
    d.append("类型：").append(TYPE_NAMES.getOrDefault(s.type(), s.type())).append('\n');
    d.append("学科：").append(s.subject()).append("，年级：").append(s.grade()).append('\n');
    d.append("主讲：").append(place(s.leadSchoolName(), s.leadClassroomName()));
    if (s.leadTeacherName() != null) {
      d.append("（").append(s.leadTeacherName()).append("）");
    }
    if (!s.receivers().isEmpty()) {
      d.append('\n').append("接收：").append(s.receivers().stream().map(r -> place(r.schoolName(), r.classroomName()))
          .collect(Collectors.joining("；")));
    }
    return d.toString();
  }

  private static String place(String school, String classroom) {
    return classroom == null ? school : school + " " + classroom;
  }

  private static String summary(String title, boolean cancelled) {
    // Apple Calendar shows a cancelled event like any other: the title says it.
    return cancelled ? "（已取消）" + title : title;
  }

  private static ZonedDateTime zoned(OffsetDateTime t) {
    return t.atZoneSameInstant(Conflicts.ZONE);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
