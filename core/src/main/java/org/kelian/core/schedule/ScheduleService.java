package org.kelian.core.schedule;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.auth.UserStore;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.org.BellSchedule;
import org.kelian.core.org.OrgService;
import org.kelian.core.org.School;
import org.kelian.core.org.SchoolGroup;
import org.kelian.core.org.Term;

/**
 * Schedules class sessions under the hard rules: no teacher, classroom or class in two sessions at once (a teacher
 * moving between schools needs the travel time); each receiving school's bell schedule holds the session inside
 * one period (unless overridden with a reason); synchronous and dedicated sessions run between schools that are
 * paired or allied (unless overridden with a reason). A refusal names every conflict found.
 */
public final class ScheduleService {

  private static final Set<String> TYPES = Set.of("synchronous", "dedicated", "master_teacher", "open_school", "research");
  private static final Set<String> AUDIENCES = Set.of("participants", "logged_in", "public");

  private final ScheduleStore store;
  private final OrgService org;
  private final UserStore users;
  private final ScheduleOptions options;

  public ScheduleService(ScheduleStore store, OrgService org, UserStore users, ScheduleOptions options) {
    this.store = store;
    this.org = org;
    this.users = users;
    this.options = options;
  }

  /** Stores the session, or fails with 409 listing every conflict. */
  public Future<ClassSession> create(User actor, SessionRequest req) {
    return plan(actor, req).compose(p -> {
      if (!p.ruleConflicts().isEmpty()) {
        // Report the busy resources too, so the admin sees everything to fix at once.
        return store.conflicts(p.session(), p.resources(), options.travelMinutes())
            .compose(busy -> Future.failedFuture(refusal(concat(p.ruleConflicts(), busy))));
      }
      return store.createIfFree(p.session(), p.resources(), options.travelMinutes(), actor.id()).compose(busy -> busy.isEmpty()
          ? Future.succeededFuture(p.session()) : Future.failedFuture(refusal(busy)));
    });
  }

  /**
   * Stores all the sessions or none, each under every rule (an applied auto-schedule); fails with 409 listing the
   * conflicts when anything changed since they were planned. {@code first} runs in the same transaction, first.
   */
  public Future<Integer> createAll(User actor, List<SessionRequest> requests,
                                   java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<?>> first) {
    List<ScheduleStore.Planned> planned = new ArrayList<>();
    List<Conflict> rules = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (SessionRequest req : requests) {
      chain = chain.compose(x -> plan(actor, req)).map(p -> {
        planned.add(new ScheduleStore.Planned(p.session(), p.resources()));
        rules.addAll(p.ruleConflicts());
        return null;
      });
    }
    return chain.compose(x -> rules.isEmpty() ? store.createAllIfFree(planned, options.travelMinutes(), actor.id(), first)
        : Future.succeededFuture(rules)).compose(found -> found.isEmpty() ? Future.succeededFuture(planned.size())
            : Future.failedFuture(refusal(found)));
  }

  /** The conflicts a session would have, for the create form; nothing is stored. */
  public Future<List<Conflict>> check(User actor, SessionRequest req) {
    return plan(actor, req).compose(p -> store.conflicts(p.session(), p.resources(), options.travelMinutes())
        .map(busy -> concat(p.ruleConflicts(), busy)));
  }

  public Future<ClassSession> get(UUID id) {
    return store.find(id).map(o -> o.orElseThrow(() -> KelianException.notFound("session_not_found", "课程不存在", "Session not found")));
  }

  /**
   * A session as this reader may see it: admins see every session (they plan across schools); a teacher sees the
   * sessions they teach in and those their school leads or receives.
   */
  public Future<ClassSession> read(User actor, UUID id) {
    return get(id).map(s -> {
      boolean mine = actor.id().equals(s.leadTeacherId()) || s.receivers().stream().anyMatch(r -> actor.id().equals(r.teacherId()));
      boolean school = actor.schoolId() != null && (actor.schoolId().equals(s.leadSchoolId())
          || s.receivers().stream().anyMatch(r -> actor.schoolId().equals(r.schoolId())));
      if (!actor.isAdmin() && !mine && !school) {
        throw KelianException.forbidden();
      }
      return s;
    });
  }

  /**
   * A calendar as this reader may see it: admins any; a teacher their own, their school's, or one of its classrooms
   * or classes.
   */
  public Future<List<ScheduleStore.CalendarEntry>> calendar(User actor, String from, String to, String kind, UUID id) {
    if (actor.isAdmin()) {
      return calendar(from, to, kind, id);
    }
    Future<Boolean> allowed;
    if (kind == null || id == null) {
      allowed = Future.succeededFuture(false);
    } else {
      allowed = switch (kind) {
        case "teacher" -> Future.succeededFuture(id.equals(actor.id()));
        case "school" -> Future.succeededFuture(id.equals(actor.schoolId()));
        case "classroom" -> org.classroom(id).map(c -> c.schoolId().equals(actor.schoolId()));
        case "class" -> org.schoolClass(id).map(c -> c.schoolId().equals(actor.schoolId()));
        default -> Future.succeededFuture(false);
      };
    }
    return allowed.compose(ok -> {
      if (!ok) {
        throw new KelianException(ErrorKind.FORBIDDEN, "calendar_not_yours",
            "教师可查看自己的、本校的或本校教室和班级的课表（请选择一项）",
            "Teachers see their own timetable, their school's, or one of its classrooms or classes (choose one)");
      }
      return calendar(from, to, kind, id);
    });
  }

  /** A calendar: occurrences from..to (at most 62 days), of everything or of one teacher, classroom, class or school. */
  public Future<List<ScheduleStore.CalendarEntry>> calendar(String from, String to, String kind, UUID id) {
    LocalDate f = Validate.date(from, "from");
    LocalDate t = Validate.date(to, "to");
    if (t.isBefore(f) || t.isAfter(f.plusDays(62))) {
      throw KelianException.invalid("invalid_range", "日期范围应在 62 天以内，且结束不早于开始", "The range is at most 62 days, ending on or after its start");
    }
    if (kind != null && !Set.of("teacher", "classroom", "class", "school").contains(kind)) {
      throw KelianException.invalid("invalid_filter", "筛选只能是 teacher、classroom、class 或 school", "Filter by teacher, classroom, class or school");
    }
    if ((kind == null) != (id == null)) {
      throw KelianException.invalid("invalid_filter", "请同时给出筛选类型和编号", "Give both the filter kind and its id");
    }
    return store.calendar(f.atStartOfDay(Conflicts.ZONE).toOffsetDateTime(), t.plusDays(1).atStartOfDay(Conflicts.ZONE).toOffsetDateTime(),
        kind, id);
  }

  /** Moves one occurrence to another day or time, under the same rules as a new session. */
  public Future<ClassSession> move(User actor, UUID sessionId, UUID occurrenceId, String date, String start, String end) {
    LocalDate day = Validate.date(date, "date");
    LocalTime from = time(start, "start");
    LocalTime to = time(end, "end");
    if (!to.isAfter(from) || Duration.between(from, to).toMinutes() > 240) {
      throw KelianException.invalid("invalid_times", "下课时间应晚于上课时间，且一节课不超过 4 小时", "A session ends after it starts and lasts at most 4 hours");
    }
    return manageable(actor, sessionId).compose(s -> {
      ClassSession.Occurrence old = occurrence(s, occurrenceId);
      ClassSession.Occurrence moved = new ClassSession.Occurrence(old.id(), day.atTime(from).atZone(Conflicts.ZONE).toOffsetDateTime(),
          day.atTime(to).atZone(Conflicts.ZONE).toOffsetDateTime(), old.status(), null, null);
      ClassSession probe = withOccurrences(s, List.of(moved));
      Future<Term> term = s.termId() == null ? Future.succeededFuture() : org.term(s.termId());
      return term.compose(t -> ruleConflicts(probe, t, day, false)).compose(rules -> store.resources(s.id())
          .compose(resources -> rules.isEmpty() ? store.moveIfFree(s, moved, resources, options.travelMinutes())
              : store.conflicts(probe, resources, options.travelMinutes()).map(busy -> concat(rules, busy))))
          .compose(found -> found.isEmpty() ? get(sessionId) : Future.failedFuture(refusal(found)));
    });
  }

  /**
   * Records what happened to an occurrence: live (with its actual start), ended (actual end), or cancelled. The
   * live room will set these itself; until then an admin does.
   */
  public Future<ClassSession> setStatus(User actor, UUID sessionId, UUID occurrenceId, String status, String actualStart, String actualEnd) {
    List<String> from = switch (status == null ? "" : status) {
      case "live" -> List.of("scheduled");
      case "ended" -> List.of("scheduled", "live");
      case "cancelled" -> List.of("scheduled");
      default -> throw KelianException.invalid("invalid_status", "状态应为 live、ended 或 cancelled", "The status is live, ended or cancelled");
    };
    OffsetDateTime startAt = instant(actualStart, "actualStart");
    OffsetDateTime endAt = instant(actualEnd, "actualEnd");
    return manageable(actor, sessionId).compose(s -> {
      ClassSession.Occurrence o = occurrence(s, occurrenceId);
      return store.status(sessionId, o.id(), status, from, startAt, endAt).compose(changed -> {
        if (!changed) {
          throw KelianException.conflict("invalid_transition", "该课次当前为 " + o.status() + "，不能改为 " + status,
              "An occurrence that is " + o.status() + " cannot become " + status);
        }
        return get(sessionId);
      });
    });
  }

  /** What an edit of a whole series may change; null where unchanged. Times are HH:mm, or a period of the lead school. */
  public record SeriesChange(String title, String start, String end, Integer period, UUID leadClassroomId, UUID leadTeacherId, Boolean live,
                             Boolean recording, Boolean replay, String liveAudience, String replayAudience) {
  }

  /**
   * Edits a whole series from now on: its title, lead classroom and teacher, time of day, switches and audiences.
   * Occurrences still to come (scheduled, not started) take the new time on their own dates; those held, live or
   * cancelled stay as they were. The same rules as a new session, the series' own occurrences aside.
   */
  public Future<ClassSession> editSeries(User actor, UUID sessionId, SeriesChange ch) {
    String title = ch.title() == null ? null : Validate.text(ch.title(), "title", 100);
    String liveAudience = ch.liveAudience() == null ? null : choice(ch.liveAudience(), "liveAudience", AUDIENCES, null);
    String replayAudience = ch.replayAudience() == null ? null : choice(ch.replayAudience(), "replayAudience", AUDIENCES, null);
    if (ch.period() == null && (ch.start() == null) != (ch.end() == null)) {
      throw KelianException.invalid("invalid_times", "请同时给出上课和下课时间（或给出节次）", "Give both start and end (or a period)");
    }
    LocalTime start = ch.start() == null || ch.period() != null ? null : time(ch.start(), "start");
    LocalTime end = ch.end() == null || ch.period() != null ? null : time(ch.end(), "end");
    if (start != null && (!end.isAfter(start) || Duration.between(start, end).toMinutes() > 240)) {
      throw KelianException.invalid("invalid_times", "下课时间应晚于上课时间，且一节课不超过 4 小时", "A session ends after it starts and lasts at most 4 hours");
    }
    OffsetDateTime now = OffsetDateTime.now();
    return manageable(actor, sessionId).compose(s -> {
      List<ClassSession.Occurrence> ahead = s.occurrences().stream()
          .filter(o -> o.status().equals("scheduled") && o.startsAt().isAfter(now)).toList();
      if (ahead.isEmpty()) {
        throw KelianException.conflict("nothing_ahead", "该课程已没有尚未开始的课次可修改", "No occurrence of this series is still to come");
      }
      UUID room = ch.leadClassroomId() == null ? s.leadClassroomId() : ch.leadClassroomId();
      UUID teacher = ch.leadTeacherId() == null ? s.leadTeacherId() : ch.leadTeacherId();
      Future<Term> term = s.termId() == null ? Future.succeededFuture() : org.term(s.termId());
      return belongs(org.classroom(room).map(c -> c.schoolId()), s.leadSchoolId(), "leadClassroomId")
          .compose(x -> userExists(teacher, "leadTeacherId"))
          .compose(x -> term.compose(t -> org.bellSchedule(s.leadSchoolId()).map(bells -> {
            List<ClassSession.Occurrence> retimed = new ArrayList<>();
            for (ClassSession.Occurrence o : ahead) {
              LocalDate day = o.startsAt().atZoneSameInstant(Conflicts.ZONE).toLocalDate();
              LocalTime from = start;
              LocalTime to = end;
              if (ch.period() != null) {
                DayOfWeek weekday = t == null ? day.getDayOfWeek() : t.timetableDay(day).orElse(day.getDayOfWeek());
                BellSchedule.Period p = bells.period(weekday, ch.period()).orElseThrow(() -> KelianException.invalid("no_such_period",
                    "主讲学校在" + weekday.getValue() + "（周）没有第 " + ch.period() + " 节", "The lead school has no period " + ch.period()
                        + " on weekday " + weekday.getValue()));
                from = p.start();
                to = p.end();
              }
              retimed.add(from == null ? o : new ClassSession.Occurrence(o.id(), day.atTime(from).atZone(Conflicts.ZONE).toOffsetDateTime(),
                  day.atTime(to).atZone(Conflicts.ZONE).toOffsetDateTime(), o.status(), null, null));
            }
            ClassSession edited = new ClassSession(s.id(), s.type(), title == null ? s.title() : title, s.leadSchoolId(), room, teacher,
                s.leadClassId(), s.subject(), s.grade(), s.catalogNodeId(), s.termId(), s.weekly(), ch.live() == null ? s.live() : ch.live(),
                ch.recording() == null ? s.recording() : ch.recording(), ch.replay() == null ? s.replay() : ch.replay(),
                liveAudience == null ? s.liveAudience() : liveAudience, replayAudience == null ? s.replayAudience() : replayAudience,
                s.bellOverride(), s.pairingOverride(), s.receivers(), retimed);
            return new Object[] {edited, t};
          })))
          .compose(pair -> {
            ClassSession edited = (ClassSession) pair[0];
            Term t = (Term) pair[1];
            LocalDate first = edited.occurrences().get(0).startsAt().atZoneSameInstant(Conflicts.ZONE).toLocalDate();
            return ruleConflicts(edited, t, first, false).compose(rules -> store.resources(s.id()).compose(old -> {
              List<ScheduleStore.Resource> resources = new ArrayList<>();
              for (ScheduleStore.Resource r : old) {
                boolean leadTeacher = r.kind().equals("teacher") && r.id().equals(s.leadTeacherId()) && r.schoolId().equals(s.leadSchoolId());
                boolean leadRoom = r.kind().equals("classroom") && r.id().equals(s.leadClassroomId());
                if (!leadTeacher && !leadRoom) {
                  resources.add(r);
                }
              }
              resources.add(new ScheduleStore.Resource("teacher", teacher, s.leadSchoolId()));
              resources.add(new ScheduleStore.Resource("classroom", room, s.leadSchoolId()));
              return rules.isEmpty() ? store.editSeriesIfFree(edited, resources, options.travelMinutes())
                  : store.conflicts(edited, resources, options.travelMinutes())
                      .map(busy -> concat(rules, busy.stream().filter(c -> !s.id().equals(c.otherSessionId())).toList()));
            }));
          })
          .compose(found -> found.isEmpty() ? get(sessionId) : Future.failedFuture(refusal(found)));
    });
  }

  /** A receiving school confirms it takes part (its admin, or a district admin on its behalf). */
  public Future<ClassSession> confirm(User actor, UUID sessionId, UUID schoolId) {
    if (!actor.has(Role.DISTRICT_ADMIN) && !(actor.has(Role.SCHOOL_ADMIN) && schoolId.equals(actor.schoolId()))) {
      throw KelianException.forbidden();
    }
    return get(sessionId).compose(s -> store.confirm(sessionId, schoolId, actor.id())).compose(receiver -> {
      if (!receiver) {
        throw KelianException.notFound("not_a_receiver", "该学校不是这节课的接收方", "That school is not a receiving side of this session");
      }
      return get(sessionId);
    });
  }

  /** Cancels every occurrence of the series still to come; answers how many. */
  public Future<Integer> cancelSeries(User actor, UUID sessionId) {
    return manageable(actor, sessionId).compose(s -> store.cancelSeries(s.id()));
  }

  private Future<ClassSession> manageable(User actor, UUID sessionId) {
    return get(sessionId).map(s -> {
      if (!actor.has(Role.DISTRICT_ADMIN) && !(actor.has(Role.SCHOOL_ADMIN) && s.leadSchoolId().equals(actor.schoolId()))) {
        throw KelianException.forbidden();
      }
      return s;
    });
  }

  private static ClassSession.Occurrence occurrence(ClassSession s, UUID id) {
    return s.occurrences().stream().filter(o -> o.id().equals(id)).findFirst()
        .orElseThrow(() -> KelianException.notFound("occurrence_not_found", "课次不存在", "Occurrence not found"));
  }

  private static ClassSession withOccurrences(ClassSession s, List<ClassSession.Occurrence> occurrences) {
    return new ClassSession(s.id(), s.type(), s.title(), s.leadSchoolId(), s.leadClassroomId(), s.leadTeacherId(), s.leadClassId(),
        s.subject(), s.grade(), s.catalogNodeId(), s.termId(), s.weekly(), s.live(), s.recording(), s.replay(), s.liveAudience(),
        s.replayAudience(), s.bellOverride(), s.pairingOverride(), s.receivers(), occurrences);
  }

  private static OffsetDateTime instant(String s, String field) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      throw KelianException.invalid("invalid_instant", "字段 " + field + " 应为带时区的时间（如 2026-09-07T08:02:00+08:00）",
          "Field " + field + " must be a date-time with offset (e.g. 2026-09-07T08:02:00+08:00)");
    }
  }

  private record Plan(ClassSession session, List<ScheduleStore.Resource> resources, List<Conflict> ruleConflicts) {
  }

  private Future<Plan> plan(User actor, SessionRequest req) {
    String type = choice(req.type(), "type", TYPES, null);
    String subject = Validate.text(req.subject(), "subject", 20);
    String grade = Validate.text(req.grade(), "grade", 20);
    String title = req.title() == null || req.title().isBlank() ? grade + subject : Validate.text(req.title(), "title", 100);
    UUID leadSchoolId = required(req.leadSchoolId(), "leadSchoolId");
    UUID classroomId = required(req.leadClassroomId(), "leadClassroomId");
    UUID teacherId = required(req.leadTeacherId(), "leadTeacherId");
    String liveAudience = choice(req.liveAudience(), "liveAudience", AUDIENCES, "participants");
    String replayAudience = choice(req.replayAudience(), "replayAudience", AUDIENCES, "logged_in");
    String bellOverride = Validate.optionalText(req.bellOverride(), "bellOverride", 200);
    String pairingOverride = Validate.optionalText(req.pairingOverride(), "pairingOverride", 200);
    LocalDate first = Validate.date(req.date(), "date");
    List<SessionRequest.Receiver> receivers = req.receivers() == null ? List.of() : req.receivers();
    Set<UUID> receivingSchools = new LinkedHashSet<>();
    for (SessionRequest.Receiver r : receivers) {
      UUID s = required(r.schoolId(), "receivers.schoolId");
      if (s.equals(leadSchoolId) || !receivingSchools.add(s)) {
        throw KelianException.invalid("invalid_receivers", "接收方学校不能重复，也不能是主讲学校", "Receiving schools are distinct and not the lead school");
      }
    }
    if (req.weekly() && req.termId() == null) {
      throw KelianException.invalid("term_required", "每周重复的课程需要指定学期", "A weekly session needs its term");
    }
    boolean allowed = actor.has(Role.DISTRICT_ADMIN) || actor.has(Role.SCHOOL_ADMIN) && leadSchoolId.equals(actor.schoolId());
    if (!allowed) {
      throw KelianException.forbidden();
    }

    // The lookups are independent: run them at once (the create form checks as the admin types), and report the
    // first problem in the order of the fields. The lead school's bell schedule is read from its row, so that lookup
    // is also the one that finds the school missing.
    Future<Term> termLookup = req.termId() == null ? Future.succeededFuture((Term) null) : org.term(req.termId());
    Future<BellSchedule> bellsLookup = org.bellSchedule(leadSchoolId);
    return inOrder(List.of(bellsLookup,
            belongs(org.classroom(classroomId).map(c -> c.schoolId()), leadSchoolId, "leadClassroomId"),
            req.leadClassId() == null ? Future.succeededFuture()
                : belongs(org.schoolClass(req.leadClassId()).map(c -> c.schoolId()), leadSchoolId, "leadClassId"),
            userExists(teacherId, "leadTeacherId"), checkReceivers(receivers), termLookup))
        .map(x -> termLookup.result())
        .compose(term -> bellsLookup.compose(leadBells -> {
          List<ClassSession.Occurrence> occurrences = occurrences(req, first, term, leadBells);
          List<ScheduleStore.Resource> resources = new ArrayList<>();
          resources.add(new ScheduleStore.Resource("teacher", teacherId, leadSchoolId));
          resources.add(new ScheduleStore.Resource("classroom", classroomId, leadSchoolId));
          if (req.leadClassId() != null) {
            resources.add(new ScheduleStore.Resource("class", req.leadClassId(), leadSchoolId));
          }
          for (SessionRequest.Receiver r : receivers) {
            if (r.classroomId() != null) {
              resources.add(new ScheduleStore.Resource("classroom", r.classroomId(), r.schoolId()));
            }
            if (r.classId() != null) {
              resources.add(new ScheduleStore.Resource("class", r.classId(), r.schoolId()));
            }
            if (r.teacherId() != null) {
              resources.add(new ScheduleStore.Resource("teacher", r.teacherId(), r.schoolId()));
            }
          }
          ClassSession session = new ClassSession(UUID.randomUUID(), type, title, leadSchoolId, classroomId, teacherId, req.leadClassId(),
              subject, grade, req.catalogNodeId(), req.termId(), req.weekly(), flag(req.live()), flag(req.recording()), flag(req.replay()),
              liveAudience, replayAudience, bellOverride, pairingOverride, receivers, occurrences);
          return ruleConflicts(session, term, first, true).map(rules -> new Plan(session, resources, rules));
        }));
  }

  /** One occurrence, or one per teaching day of the term that follows the first date's timetable weekday. */
  private static List<ClassSession.Occurrence> occurrences(SessionRequest req, LocalDate first, Term term, BellSchedule leadBells) {
    DayOfWeek weekday = term == null ? first.getDayOfWeek() : term.timetableDay(first).orElseThrow(() -> KelianException.invalid(
        "not_a_teaching_day", first + " 不是该学期的上课日", first + " is not a teaching day of the term"));
    List<LocalDate> dates = new ArrayList<>();
    if (req.weekly()) {
      for (LocalDate d = first; !d.isAfter(term.endsOn()); d = d.plusDays(1)) {
        if (term.timetableDay(d).filter(weekday::equals).isPresent()) {
          dates.add(d);
        }
      }
    } else {
      dates.add(first);
    }
    List<ClassSession.Occurrence> out = new ArrayList<>();
    for (LocalDate d : dates) {
      LocalTime start;
      LocalTime end;
      if (req.period() != null) {
        BellSchedule.Period p = leadBells.period(weekday, req.period()).orElseThrow(() -> KelianException.invalid("no_such_period",
            "主讲学校在" + weekday.getValue() + "（周）没有第 " + req.period() + " 节", "The lead school has no period " + req.period() + " on weekday "
                + weekday.getValue()));
        start = p.start();
        end = p.end();
      } else {
        start = time(req.start(), "start");
        end = time(req.end(), "end");
      }
      if (!end.isAfter(start) || Duration.between(start, end).toMinutes() > 240) {
        throw KelianException.invalid("invalid_times", "下课时间应晚于上课时间，且一节课不超过 4 小时", "A session ends after it starts and lasts at most 4 hours");
      }
      out.add(new ClassSession.Occurrence(UUID.randomUUID(), d.atTime(start).atZone(Conflicts.ZONE).toOffsetDateTime(),
          d.atTime(end).atZone(Conflicts.ZONE).toOffsetDateTime(), "scheduled", null, null));
    }
    return out;
  }

  /** The bell-schedule rule at every receiving school, and the pairing rule for synchronous and dedicated sessions. */
  private Future<List<Conflict>> ruleConflicts(ClassSession s, Term term, LocalDate first, boolean pairings) {
    List<Future<List<Conflict>>> checks = new ArrayList<>();
    for (SessionRequest.Receiver r : s.receivers()) {
      if (s.bellOverride() == null) {
        checks.add(org.school(r.schoolId()).compose(school -> org.bellSchedule(r.schoolId()).map(bells -> bellConflicts(s, term, school, bells))));
      }
      if (pairings && s.pairingOverride() == null && (s.type().equals("synchronous") || s.type().equals("dedicated"))) {
        checks.add(linked(s.leadSchoolId(), r.schoolId(), first).compose(ok -> ok ? Future.succeededFuture(List.<Conflict>of())
            : org.school(r.schoolId()).map(school -> List.of(new Conflict("pairing", null, null, null, null, r.schoolId(),
                "「" + school.name() + "」与主讲学校没有结对或同属联盟（如确需开课，请填写原因）",
                school.name() + " is not paired or allied with the lead school (give a reason to override)")))));
      }
    }
    return Future.all(checks).map(all -> {
      List<Conflict> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.addAll(all.<List<Conflict>>resultAt(i));
      }
      return out;
    });
  }

  private static List<Conflict> bellConflicts(ClassSession s, Term term, School school, BellSchedule bells) {
    Set<DayOfWeek> reported = new HashSet<>();
    List<Conflict> out = new ArrayList<>();
    for (ClassSession.Occurrence o : s.occurrences()) {
      LocalDate day = o.startsAt().atZoneSameInstant(Conflicts.ZONE).toLocalDate();
      DayOfWeek weekday = term == null ? day.getDayOfWeek() : term.timetableDay(day).orElse(day.getDayOfWeek());
      LocalTime from = o.startsAt().atZoneSameInstant(Conflicts.ZONE).toLocalTime();
      LocalTime to = o.endsAt().atZoneSameInstant(Conflicts.ZONE).toLocalTime();
      if (bells.holding(weekday, from, to).isEmpty() && reported.add(weekday)) {
        out.add(new Conflict("bell_schedule", null, null, o.startsAt(), o.endsAt(), school.id(),
            "「" + school.name() + "」的作息时间中，" + Conflicts.span(o.startsAt(), o.endsAt()) + " 不在任何一节课内",
            school.name() + "'s bell schedule has no period holding " + Conflicts.span(o.startsAt(), o.endsAt())));
      }
    }
    return out;
  }

  private Future<Boolean> linked(UUID a, UUID b, LocalDate day) {
    return org.groups(SchoolGroup.Kind.PAIRING, a, 500, 0).compose(pairings -> org.groups(SchoolGroup.Kind.ALLIANCE, a, 500, 0)
        .map(alliances -> concat(pairings.items(), alliances.items()).stream().anyMatch(g -> g.links(a, b, day))));
  }

  /** Waits for all; fails with the first failure in list order (not in time), so that the answer does not vary. */
  private static Future<Void> inOrder(List<Future<?>> all) {
    return Future.join(all).transform(ar -> {
      for (Future<?> f : all) {
        if (f.failed()) {
          return Future.failedFuture(f.cause());
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> checkReceivers(List<SessionRequest.Receiver> receivers) {
    Future<Void> chain = Future.succeededFuture();
    for (SessionRequest.Receiver r : receivers) {
      chain = chain.compose(x -> org.school(r.schoolId()).mapEmpty())
          .compose(x -> r.classroomId() == null ? Future.succeededFuture()
              : belongs(org.classroom(r.classroomId()).map(c -> c.schoolId()), r.schoolId(), "receivers.classroomId"))
          .compose(x -> r.classId() == null ? Future.succeededFuture()
              : belongs(org.schoolClass(r.classId()).map(c -> c.schoolId()), r.schoolId(), "receivers.classId"))
          .compose(x -> r.teacherId() == null ? Future.succeededFuture() : userExists(r.teacherId(), "receivers.teacherId"));
    }
    return chain;
  }

  private static Future<Void> belongs(Future<UUID> schoolOf, UUID school, String field) {
    return schoolOf.map(actual -> {
      if (!actual.equals(school)) {
        throw KelianException.invalid("wrong_school", field + " 不属于所选学校", field + " does not belong to that school");
      }
      return null;
    });
  }

  private Future<Void> userExists(UUID id, String field) {
    return users.findById(id).map(u -> {
      if (u.isEmpty()) {
        throw KelianException.invalid("unknown_teacher", field + " 不是已有用户", field + " is not a known user");
      }
      return null;
    });
  }

  private static KelianException refusal(List<Conflict> conflicts) {
    JsonArray list = new JsonArray();
    conflicts.forEach(c -> list.add(c.toJson()));
    Conflict first = conflicts.get(0);
    return KelianException.conflict("schedule_conflict", "有 " + conflicts.size() + " 处冲突，例如：" + first.messageZh(),
        conflicts.size() + " conflict(s), for example: " + first.messageEn()).withDetails(new JsonObject().put("conflicts", list));
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static boolean flag(Boolean b) {
    return b == null || b;
  }

  private static String choice(String value, String field, Set<String> allowed, String dflt) {
    if ((value == null || value.isBlank()) && dflt != null) {
      return dflt;
    }
    if (value == null || !allowed.contains(value)) {
      throw KelianException.invalid("invalid_choice", "字段 " + field + " 应为 " + String.join("、", new java.util.TreeSet<>(allowed)) + " 之一",
          "Field " + field + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
    return value;
  }

  private static UUID required(UUID id, String field) {
    if (id == null) {
      throw KelianException.invalid("field_required", "缺少必填字段：" + field, "Missing required field: " + field);
    }
    return id;
  }


  private static LocalTime time(String s, String field) {
    if (s == null || !s.matches("([01]\\d|2[0-3]):[0-5]\\d")) {
      throw KelianException.invalid("invalid_time", "字段 " + field + " 应为 HH:mm（或给出 period 节次）", "Field " + field + " must be HH:mm (or give a period)");
    }
    return LocalTime.parse(s);
  }
}
