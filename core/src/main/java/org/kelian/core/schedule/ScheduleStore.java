package org.kelian.core.schedule;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.db.Db;

/**
 * Sessions in PostgreSQL. Creating one checks for conflicts and inserts in one transaction that holds the
 * schedule's advisory lock, so two admins booking the same recording room at once cannot both succeed.
 */
public final class ScheduleStore {

  private static final long LOCK_KEY = 0x6b656c69616e5343L; // "kelianSC"
  private static final String LOCK = "select pg_advisory_xact_lock($1)";
  private static final String GENERIC_PLANS = "set plan_cache_mode = force_generic_plan";
  private static final String DEFAULT_PLANS = "reset plan_cache_mode";
  /**
   * Occurrences of other sessions that hold a resource at a new occurrence, with the travel margin. The occurrences
   * of the resources' sessions are read by (session, start) up to the latest end plus the margin, and the sessions'
   * titles only for the clashes found.
   */
  private static final String CONFLICTS = "with n(s, e) as (select * from unnest($1::timestamptz[], $2::timestamptz[])), "
      + "r(kind, id) as (select * from unnest($3::text[], $4::uuid[])), "
      + "hit as (select distinct o.session_id, o.starts_at, o.ends_at, sr.kind, sr.resource_id from r "
      + "join session_resources sr on sr.kind = r.kind and sr.resource_id = r.id "
      + "join session_occurrences o on o.session_id = sr.session_id and o.status <> 'cancelled' and o.id is distinct from $7 "
      + "and o.session_id is distinct from $8 and o.starts_at < (select max(n.e) from n) + make_interval(mins => greatest($6, 0)) "
      // a teacher coming from or going to another school needs the travel time on both sides
      + "join n on o.starts_at < n.e + case when sr.kind = 'teacher' and sr.school_id <> $5 then make_interval(mins => $6) else interval '0' end "
      + "and o.ends_at > n.s - case when sr.kind = 'teacher' and sr.school_id <> $5 then make_interval(mins => $6) else interval '0' end "
      + "order by o.starts_at limit 100) "
      + "select hit.session_id, cs.title, hit.starts_at, hit.ends_at, hit.kind, hit.resource_id from hit "
      + "join class_sessions cs on cs.id = hit.session_id order by hit.starts_at";
  /**
   * Lessons of schools' own timetables (timetable_entries) that hold a resource at a new occurrence: the entry of the
   * occurrence's term (the session's, or for a one-off session any term holding the day) on the timetable weekday of
   * its date (a make-up day runs another weekday; weekends and holidays have none), overlapping in time, with the same
   * travel margin as sessions. One row per entry and resource, at its first clash.
   */
  private static final String TIMETABLE_CONFLICTS = "with n(s, e) as (select * from unnest($1::timestamptz[], $2::timestamptz[])), "
      + "r(kind, id) as (select * from unnest($3::text[], $4::uuid[])), "
      + "d as (select n.s, n.e, (n.s at time zone 'Asia/Shanghai')::date as day from n), "
      + "w as (select d.*, t.id as term_id, coalesce((select (m->>'runsAs')::int from jsonb_array_elements(t.make_up_days) m "
      + "  where (m->>'date')::date = d.day limit 1), case when extract(isodow from d.day) < 6 and not exists (select 1 "
      + "  from jsonb_array_elements(t.holidays) h where d.day between (h->>'from')::date and (h->>'to')::date) "
      + "  then extract(isodow from d.day)::int end) as weekday "
      + "  from d join terms t on d.day between t.starts_on and t.ends_on and ($5::uuid is null or t.id = $5)), "
      + "hit as (select r.kind, r.id as resource_id, te.* from r join timetable_entries te on r.kind = 'teacher' and te.teacher_id = r.id "
      + "  union all select r.kind, r.id, te.* from r join timetable_entries te on r.kind = 'class' and te.class_id = r.id "
      + "  union all select r.kind, r.id, te.* from r join timetable_entries te on r.kind = 'classroom' and te.classroom_id = r.id), "
      + "x as (select hit.*, w.s, w.e, (w.day + hit.starts) at time zone 'Asia/Shanghai' as from_at, "
      + "  (w.day + hit.ends) at time zone 'Asia/Shanghai' as to_at from w join hit on hit.term_id = w.term_id and hit.weekday = w.weekday) "
      + "select distinct on (x.kind, x.resource_id, x.id) x.id, x.kind, x.resource_id, x.weekday, x.period, x.subject, x.from_at, x.to_at, "
      + "u.display_name as teacher_name, c.grade || c.name as class_label, cr.name as classroom_name, sc.name as school_name from x "
      + "join schools sc on sc.id = x.school_id left join users u on u.id = x.teacher_id left join classes c on c.id = x.class_id "
      + "left join classrooms cr on cr.id = x.classroom_id "
      + "where x.from_at < x.e + case when x.kind = 'teacher' and x.school_id <> $6 then make_interval(mins => $7) else interval '0' end "
      + "and x.to_at > x.s - case when x.kind = 'teacher' and x.school_id <> $6 then make_interval(mins => $7) else interval '0' end "
      + "order by x.kind, x.resource_id, x.id, x.from_at limit 100";
  private static final String INSERT_SESSION = "insert into class_sessions (id, type, title, lead_school_id, lead_classroom_id, "
      + "lead_teacher_id, lead_class_id, subject, grade, catalog_node_id, term_id, weekly, live, recording, replay, live_audience, "
      + "replay_audience, bell_override, pairing_override, created_by) "
      + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";
  private static final String INSERT_RECEIVER = "insert into session_receivers (session_id, school_id, classroom_id, class_id, teacher_id) "
      + "values ($1, $2, $3, $4, $5)";
  // original_starts_at stays where the weekly rule put the occurrence, for calendar feeds' RECURRENCE-ID after a move.
  private static final String INSERT_OCCURRENCE = "insert into session_occurrences (id, session_id, starts_at, ends_at, original_starts_at) "
      + "values ($1, $2, $3, $4, $3)";
  private static final String INSERT_RESOURCE = "insert into session_resources (session_id, kind, resource_id, school_id) values ($1, $2, $3, $4) "
      + "on conflict do nothing";
  private static final String SESSION = "select * from class_sessions where id = $1";
  private static final String RECEIVERS = "select * from session_receivers where session_id = $1 order by school_id";
  private static final String OCCURRENCES = "select * from session_occurrences where session_id = $1 order by starts_at";
  private static final String CALENDAR = "select o.*, cs.title, cs.type, cs.subject, cs.lead_school_id from session_occurrences o "
      + "join class_sessions cs on cs.id = o.session_id where o.starts_at < $2 and o.ends_at > $1 "
      + "and ($3::text is null or exists (select 1 from session_resources sr where sr.session_id = cs.id and sr.kind = $3 and sr.resource_id = $4) "
      + "  or ($3 = 'school' and (cs.lead_school_id = $4 or exists (select 1 from session_receivers rc where rc.session_id = cs.id and rc.school_id = $4)))) "
      + "order by o.starts_at limit 2000";

  /** What a session occupies: a teacher, classroom or class, at a school. */
  public record Resource(String kind, UUID id, UUID schoolId) {
  }

  /** One occurrence of a calendar, with what the calendar shows of its session. */
  public record CalendarEntry(UUID occurrenceId, UUID sessionId, String title, String type, String subject, UUID leadSchoolId,
                              OffsetDateTime startsAt, OffsetDateTime endsAt, String status) {
    public io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject().put("occurrenceId", occurrenceId.toString()).put("sessionId", sessionId.toString())
          .put("title", title).put("type", type).put("subject", subject).put("leadSchoolId", leadSchoolId.toString())
          .put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString()).put("status", status);
    }
  }

  private final Pool pool;

  public ScheduleStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the session unless something it needs is busy; answers the conflicts found (empty when it was stored). */
  public Future<List<Conflict>> createIfFree(ClassSession s, List<Resource> resources, int travelMinutes, UUID createdBy) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY))
        .compose(x -> conflicts(c, s, resources, travelMinutes, null))
        .compose(found -> found.isEmpty() ? insert(c, s, resources, createdBy).map(found) : Future.succeededFuture(found))));
  }

  /** A session ready to store, with what it occupies. */
  public record Planned(ClassSession session, List<Resource> resources) {
  }

  /**
   * Inserts all the sessions or none, in one transaction under the schedule's lock, each checked against what is
   * stored and against those before it in the list; {@code first} runs first in the same transaction (an auto-schedule
   * marks itself applied there, so that a proposal is applied once). Answers the conflicts found (empty when stored).
   */
  public Future<List<Conflict>> createAllIfFree(List<Planned> sessions, int travelMinutes, UUID createdBy,
                                                java.util.function.Function<SqlConnection, Future<?>> first) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY))
        .compose(x -> first.apply(c))
        .compose(x -> {
          List<Conflict> found = new ArrayList<>();
          Future<Void> chain = Future.succeededFuture();
          for (Planned p : sessions) {
            chain = chain.compose(y -> conflicts(c, p.session(), p.resources(), travelMinutes, null)).compose(busy -> {
              found.addAll(busy);
              return found.isEmpty() ? insert(c, p.session(), p.resources(), createdBy) : Future.succeededFuture();
            });
          }
          // A failed future rolls the transaction back: nothing of the list is kept when anything conflicts.
          return chain.compose(y -> found.isEmpty() ? Future.succeededFuture(found)
              : Future.failedFuture(new ConflictsFound(found)));
        })).recover(t -> t instanceof ConflictsFound cf ? Future.succeededFuture(cf.conflicts) : Future.failedFuture(t)));
  }

  private static final class ConflictsFound extends RuntimeException {
    final transient List<Conflict> conflicts;

    ConflictsFound(List<Conflict> conflicts) {
      super(null, null, false, false);
      this.conflicts = conflicts;
    }
  }

  /** The conflicts a session would have, without storing it (the create form asks as the admin chooses). */
  public Future<List<Conflict>> conflicts(ClassSession s, List<Resource> resources, int travelMinutes) {
    // One connection, one round trip: the two lookups and the plan-mode switches around them are pipelined.
    return Db.recover(pool.withConnection(c -> conflicts(c, s, resources, travelMinutes, null, null)));
  }

  /** In a transaction: the sessions and then the schools' own timetables that hold what the session needs. */
  private Future<List<Conflict>> conflicts(SqlConnection c, ClassSession s, List<Resource> resources, int travelMinutes, UUID excluded) {
    return conflicts(c, s, resources, travelMinutes, excluded, null);
  }

  /**
   * As above, leaving out one occurrence (being moved) or a whole session (its series being edited). Both lookups
   * run on generic plans: with their array parameters PostgreSQL otherwise plans them afresh on every execution
   * (a custom plan looks cheaper to it, knowing the arrays' lengths), and planning them costs several times more than
   * running them. The switch, the lookups and the reset go out together without waiting for each other (the
   * client pipelines them), and the reset runs even when a lookup fails (inside a transaction, a rollback undoes the
   * switch anyway).
   */
  private Future<List<Conflict>> conflicts(SqlConnection c, ClassSession s, List<Resource> resources, int travelMinutes, UUID excluded,
                                           UUID excludedSession) {
    Future<?> generic = c.query(GENERIC_PLANS).execute();
    Future<List<Conflict>> sessions = sessionConflicts(c, s, resources, travelMinutes, excluded, excludedSession);
    Future<List<Conflict>> timetables = timetableConflicts(c, s, resources, travelMinutes);
    Future<?> reset = c.query(DEFAULT_PLANS).execute();
    return Future.join(generic, sessions, timetables, reset).transform(x -> {
      // Report a lookup's own failure rather than the reset's (which fails too in an aborted transaction).
      for (Future<?> f : List.of(sessions, timetables, generic, reset)) {
        if (f.failed()) {
          return Future.failedFuture(f.cause());
        }
      }
      List<Conflict> out = new ArrayList<>(sessions.result());
      out.addAll(timetables.result());
      return Future.succeededFuture(out);
    });
  }

  private static OffsetDateTime[] starts(ClassSession s) {
    return s.occurrences().stream().map(ClassSession.Occurrence::startsAt).toArray(OffsetDateTime[]::new);
  }

  private static OffsetDateTime[] ends(ClassSession s) {
    return s.occurrences().stream().map(ClassSession.Occurrence::endsAt).toArray(OffsetDateTime[]::new);
  }

  private static Future<List<Conflict>> sessionConflicts(io.vertx.sqlclient.SqlClient c, ClassSession s, List<Resource> resources,
                                                         int travelMinutes, UUID excluded, UUID excludedSession) {
    Tuple args = Tuple.tuple().addArrayOfOffsetDateTime(starts(s)).addArrayOfOffsetDateTime(ends(s))
        .addArrayOfString(resources.stream().map(Resource::kind).toArray(String[]::new))
        .addArrayOfUUID(resources.stream().map(Resource::id).toArray(UUID[]::new))
        .addUUID(s.leadSchoolId()).addInteger(travelMinutes).addUUID(excluded).addUUID(excludedSession);
    return c.preparedQuery(CONFLICTS).execute(args).map(rows -> {
      List<Conflict> out = new ArrayList<>();
      for (Row r : rows) {
        String kind = r.getString("kind");
        String title = r.getString("title");
        OffsetDateTime from = r.getOffsetDateTime("starts_at");
        OffsetDateTime to = r.getOffsetDateTime("ends_at");
        out.add(new Conflict(kind, r.getUUID("session_id"), title, from, to, r.getUUID("resource_id"),
            Conflicts.busyZh(kind, title, from, to), Conflicts.busyEn(kind, title, from, to)));
      }
      return out;
    });
  }

  private static Future<List<Conflict>> timetableConflicts(io.vertx.sqlclient.SqlClient c, ClassSession s, List<Resource> resources,
                                                           int travelMinutes) {
    Tuple args = Tuple.tuple().addArrayOfOffsetDateTime(starts(s)).addArrayOfOffsetDateTime(ends(s))
        .addArrayOfString(resources.stream().map(Resource::kind).toArray(String[]::new))
        .addArrayOfUUID(resources.stream().map(Resource::id).toArray(UUID[]::new))
        .addUUID(s.termId()).addUUID(s.leadSchoolId()).addInteger(travelMinutes);
    return c.preparedQuery(TIMETABLE_CONFLICTS).execute(args).map(rows -> {
      List<Conflict> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(timetableConflict(r));
      }
      return out;
    });
  }


  private static Conflict timetableConflict(Row r) {
    String kind = r.getString("kind");
    String classLabel = r.getString("class_label") == null ? "" : r.getString("class_label");
    String teacher = r.getString("teacher_name");
    String subject = r.getString("subject");
    String who = switch (kind) {
      case "teacher" -> teacher;
      case "classroom" -> r.getString("classroom_name");
      default -> classLabel;
    };
    String lesson = kind.equals("class") ? subject + (teacher == null ? "" : " " + teacher) : (classLabel + " " + subject).strip();
    OffsetDateTime from = r.getOffsetDateTime("from_at");
    OffsetDateTime to = r.getOffsetDateTime("to_at");
    int weekday = r.getShort("weekday");
    int period = r.getShort("period");
    String school = r.getString("school_name");
    return new Conflict(kind, null, lesson, from, to, r.getUUID("resource_id"),
        Conflicts.timetableZh(kind, who, lesson, school, weekday, period, from, to),
        Conflicts.timetableEn(kind, who, lesson, school, weekday, period, from, to), r.getUUID("id"));
  }

  private Future<Void> insert(SqlConnection c, ClassSession s, List<Resource> resources, UUID createdBy) {
    Tuple session = Tuple.tuple().addUUID(s.id()).addString(s.type()).addString(s.title()).addUUID(s.leadSchoolId())
        .addUUID(s.leadClassroomId()).addUUID(s.leadTeacherId()).addUUID(s.leadClassId()).addString(s.subject()).addString(s.grade())
        .addUUID(s.catalogNodeId()).addUUID(s.termId()).addBoolean(s.weekly()).addBoolean(s.live()).addBoolean(s.recording())
        .addBoolean(s.replay()).addString(s.liveAudience()).addString(s.replayAudience()).addString(s.bellOverride())
        .addString(s.pairingOverride()).addUUID(createdBy);
    return c.preparedQuery(INSERT_SESSION).execute(session)
        .compose(x -> s.receivers().isEmpty() ? Future.succeededFuture() : c.preparedQuery(INSERT_RECEIVER).executeBatch(s.receivers().stream()
            .map(r -> Tuple.tuple().addUUID(s.id()).addUUID(r.schoolId()).addUUID(r.classroomId()).addUUID(r.classId()).addUUID(r.teacherId()))
            .toList()))
        .compose(x -> c.preparedQuery(INSERT_OCCURRENCE).executeBatch(s.occurrences().stream()
            .map(o -> Tuple.of(o.id(), s.id(), o.startsAt(), o.endsAt())).toList()))
        .compose(x -> c.preparedQuery(INSERT_RESOURCE).executeBatch(resources.stream()
            .map(r -> Tuple.of(s.id(), r.kind(), r.id(), r.schoolId())).toList()))
        .mapEmpty();
  }

  private static final String RESOURCES = "select * from session_resources where session_id = $1";
  // A move or a cancellation is a new revision of what calendars show (their SEQUENCE and LAST-MODIFIED); live and ended are not.
  private static final String MOVE = "update session_occurrences set starts_at = $3, ends_at = $4, revision = revision + 1, updated_at = now() "
      + "where id = $1 and session_id = $2 and status = 'scheduled'";
  private static final String STATUS = "update session_occurrences set status = $3, "
      // A class ended without having been marked live is recorded after the fact: it ran as scheduled unless told.
      + "actual_start = case when $3 = 'live' then coalesce(actual_start, $4, now()) "
      + "  when $3 = 'ended' then coalesce(actual_start, $4, starts_at) else actual_start end, "
      + "actual_end = case when $3 = 'ended' then coalesce($5, case when status = 'live' then now() else ends_at end) else actual_end end, "
      + "revision = revision + case when $3 = 'cancelled' then 1 else 0 end, "
      + "updated_at = case when $3 = 'cancelled' then now() else updated_at end "
      + "where id = $1 and session_id = $2 and status = any($6) returning id";
  private static final String CANCEL_SERIES = "update session_occurrences set status = 'cancelled', revision = revision + 1, updated_at = now() "
      + "where session_id = $1 "
      + "and status = 'scheduled' and starts_at > now()";

  public Future<List<Resource>> resources(UUID sessionId) {
    return Db.recover(pool.preparedQuery(RESOURCES).execute(Tuple.of(sessionId)).map(rows -> {
      List<Resource> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Resource(r.getString("kind"), r.getUUID("resource_id"), r.getUUID("school_id"))));
      return out;
    }));
  }

  /**
   * Moves one occurrence unless the new time is busy for what the session occupies (the occurrence itself aside);
   * answers the conflicts (empty when moved).
   */
  public Future<List<Conflict>> moveIfFree(ClassSession s, ClassSession.Occurrence moved, List<Resource> resources, int travelMinutes) {
    ClassSession probe = new ClassSession(s.id(), s.type(), s.title(), s.leadSchoolId(), s.leadClassroomId(), s.leadTeacherId(), s.leadClassId(),
        s.subject(), s.grade(), s.catalogNodeId(), s.termId(), s.weekly(), s.live(), s.recording(), s.replay(), s.liveAudience(),
        s.replayAudience(), s.bellOverride(), s.pairingOverride(), s.receivers(), List.of(moved));
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY))
        .compose(x -> conflicts(c, probe, resources, travelMinutes, moved.id()))
        .compose(found -> !found.isEmpty() ? Future.succeededFuture(found)
            : c.preparedQuery(MOVE).execute(Tuple.of(moved.id(), s.id(), moved.startsAt(), moved.endsAt())).map(r -> {
              if (r.rowCount() != 1) {
                throw org.kelian.core.error.KelianException.conflict("occurrence_not_movable", "只能调整尚未开始的课次",
                    "Only an occurrence that has not started can be moved");
              }
              return found;
            }))));
  }

  private static final String EDIT_SESSION = "update class_sessions set title = $2, lead_classroom_id = $3, lead_teacher_id = $4, live = $5, "
      + "recording = $6, replay = $7, live_audience = $8, replay_audience = $9 where id = $1";
  private static final String CLEAR_RESOURCES = "delete from session_resources where session_id = $1";
  private static final String RETIME = "update session_occurrences set starts_at = $3, ends_at = $4, revision = revision + 1, updated_at = now() "
      + "where id = $1 and session_id = $2 and status = 'scheduled'";

  /**
   * Edits a whole series: the session's fields, what it occupies, and the times of the occurrences given (those
   * still to come), unless the new times or people are busy elsewhere (the session's own occurrences aside);
   * answers the conflicts (empty when edited). One transaction under the schedule's lock.
   */
  public Future<List<Conflict>> editSeriesIfFree(ClassSession edited, List<Resource> resources, int travelMinutes) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY))
        .compose(x -> conflicts(c, edited, resources, travelMinutes, null, edited.id()))
        .compose(found -> !found.isEmpty() ? Future.succeededFuture(found)
            : c.preparedQuery(EDIT_SESSION).execute(Tuple.tuple().addUUID(edited.id()).addString(edited.title())
                    .addUUID(edited.leadClassroomId()).addUUID(edited.leadTeacherId()).addBoolean(edited.live()).addBoolean(edited.recording())
                    .addBoolean(edited.replay()).addString(edited.liveAudience()).addString(edited.replayAudience()))
                .compose(r -> c.preparedQuery(CLEAR_RESOURCES).execute(Tuple.of(edited.id())))
                .compose(r -> c.preparedQuery(INSERT_RESOURCE).executeBatch(resources.stream()
                    .map(x -> Tuple.of(edited.id(), x.kind(), x.id(), x.schoolId())).toList()))
                .compose(r -> c.preparedQuery(RETIME).executeBatch(edited.occurrences().stream()
                    .map(o -> Tuple.of(o.id(), edited.id(), o.startsAt(), o.endsAt())).toList()))
                .map(found))));
  }

  private static final String CONFIRM = "update session_receivers set confirmed_at = coalesce(confirmed_at, now()), "
      + "confirmed_by = coalesce(confirmed_by, $3) where session_id = $1 and school_id = $2";

  /** Records that a receiving school confirmed the session (the first confirmation stands); answers whether it is a receiver. */
  public Future<Boolean> confirm(UUID sessionId, UUID schoolId, UUID by) {
    return Db.recover(pool.preparedQuery(CONFIRM).execute(Tuple.of(sessionId, schoolId, by)).map(r -> r.rowCount() == 1));
  }

  /** Sets an occurrence's status if it is in one of {@code from}; answers whether it was. */
  public Future<Boolean> status(UUID sessionId, UUID occurrenceId, String to, List<String> from, OffsetDateTime actualStart,
                                OffsetDateTime actualEnd) {
    return Db.recover(pool.preparedQuery(STATUS).execute(Tuple.tuple().addUUID(occurrenceId).addUUID(sessionId).addString(to)
        .addOffsetDateTime(actualStart).addOffsetDateTime(actualEnd).addArrayOfString(from.toArray(new String[0])))
        .map(rows -> rows.size() == 1));
  }

  /** Cancels every occurrence still to come. */
  public Future<Integer> cancelSeries(UUID sessionId) {
    return Db.recover(pool.preparedQuery(CANCEL_SERIES).execute(Tuple.of(sessionId)).map(r -> r.rowCount()));
  }

  public Future<Optional<ClassSession>> find(UUID id) {
    return Db.recover(pool.preparedQuery(SESSION).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row r = rows.iterator().next();
      return pool.preparedQuery(RECEIVERS).execute(Tuple.of(id)).compose(rec -> pool.preparedQuery(OCCURRENCES).execute(Tuple.of(id)).map(occ -> {
        List<SessionRequest.Receiver> receivers = new ArrayList<>();
        rec.forEach(x -> receivers.add(new SessionRequest.Receiver(x.getUUID("school_id"), x.getUUID("classroom_id"), x.getUUID("class_id"),
            x.getUUID("teacher_id"), x.getOffsetDateTime("confirmed_at"))));
        List<ClassSession.Occurrence> occurrences = new ArrayList<>();
        occ.forEach(x -> occurrences.add(new ClassSession.Occurrence(x.getUUID("id"), x.getOffsetDateTime("starts_at"),
            x.getOffsetDateTime("ends_at"), x.getString("status"), x.getOffsetDateTime("actual_start"), x.getOffsetDateTime("actual_end"))));
        return Optional.of(new ClassSession(id, r.getString("type"), r.getString("title"), r.getUUID("lead_school_id"),
            r.getUUID("lead_classroom_id"), r.getUUID("lead_teacher_id"), r.getUUID("lead_class_id"), r.getString("subject"),
            r.getString("grade"), r.getUUID("catalog_node_id"), r.getUUID("term_id"), r.getBoolean("weekly"), r.getBoolean("live"),
            r.getBoolean("recording"), r.getBoolean("replay"), r.getString("live_audience"), r.getString("replay_audience"),
            r.getString("bell_override"), r.getString("pairing_override"), receivers, occurrences));
      }));
    }));
  }

  /** Occurrences between two instants, of everything, or of one teacher, classroom, class or school. */
  public Future<List<CalendarEntry>> calendar(OffsetDateTime from, OffsetDateTime to, String kind, UUID id) {
    return Db.recover(pool.preparedQuery(CALENDAR).execute(Tuple.of(from, to, kind, id)).map(rows -> {
      List<CalendarEntry> out = new ArrayList<>();
      rows.forEach(r -> out.add(new CalendarEntry(r.getUUID("id"), r.getUUID("session_id"), r.getString("title"), r.getString("type"),
          r.getString("subject"), r.getUUID("lead_school_id"), r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"),
          r.getString("status"))));
      return out;
    }));
  }
}
