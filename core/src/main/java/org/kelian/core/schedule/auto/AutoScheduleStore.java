package org.kelian.core.schedule.auto;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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
import org.kelian.core.org.Term;


/** Auto-schedule jobs in PostgreSQL, and what the planner reads of the schedule: who is busy when in a term. */
public final class AutoScheduleStore {

  /** A running job whose node has not reported for this long is taken over (its node died). */
  static final int STALE_SECONDS = 60;
  /** Schedules are wall-clock times in China (the same zone as every session). */
  static final java.time.ZoneId ZONE = java.time.ZoneId.of("Asia/Shanghai");

  private static final String INSERT = "insert into auto_schedules (id, term_id, request, created_by) values ($1, $2, $3, $4)";
  private static final String JOB = "select * from auto_schedules where id = $1";
  private static final String LIST = "select id, term_id, status, progress, request - 'demands' as request, proposal -> 'stats' as proposal, "
      + "error, created_by, created_at, updated_at, applied_at, count(*) over () as total from auto_schedules "
      + "order by created_at desc limit $1 offset $2";
  private static final String CLAIM = "update auto_schedules set status = 'running', progress = 0, updated_at = now() where id = ("
      + "select id from auto_schedules where status = 'queued' or (status = 'running' and updated_at < now() - make_interval(secs => $1)) "
      + "order by created_at limit 1 for update skip locked) returning *";
  private static final String PROGRESS = "update auto_schedules set progress = $2, updated_at = now() where id = $1 and status = 'running'";
  private static final String FINISH = "update auto_schedules set status = 'proposed', progress = 100, proposal = $2, updated_at = now() "
      + "where id = $1 and status = 'running'";
  private static final String FAIL = "update auto_schedules set status = 'failed', error = $2, updated_at = now() where id = $1 and status = 'running'";
  private static final String RELEASE = "update auto_schedules set status = 'queued', progress = 0, updated_at = now() where id = $1 and status = 'running'";
  private static final String DISCARD = "update auto_schedules set status = 'discarded', updated_at = now() where id = $1 "
      + "and status in ('queued', 'running', 'proposed', 'failed')";
  private static final String APPLIED = "update auto_schedules set status = 'applied', applied_at = now(), updated_at = now() "
      + "where id = $1 and status = 'proposed'";
  private static final String BUSY = "select sr.resource_id, sr.school_id, o.starts_at, o.ends_at from session_occurrences o "
      + "join session_resources sr on sr.session_id = o.session_id "
      + "where o.status <> 'cancelled' and o.starts_at < $2 and o.ends_at > $1";

  // A school's own timetable for the term (imported by CSV): its teacher, class and classroom are busy each week.
  private static final String TIMETABLE = "select school_id, weekday, starts, ends, teacher_id, class_id, classroom_id "
      + "from timetable_entries where term_id = $1";
  // The most cross-school periods a teacher leads in any one week of the term (sessions with a receiving school).
  private static final String LOADS = "select lead_teacher_id, max(n)::int as n from (select cs.lead_teacher_id, "
      + "date_trunc('week', o.starts_at at time zone 'Asia/Shanghai') as week, count(*) as n from session_occurrences o "
      + "join class_sessions cs on cs.id = o.session_id where o.status <> 'cancelled' and o.starts_at < $2 and o.ends_at > $1 "
      + "and exists (select 1 from session_receivers r where r.session_id = cs.id) group by 1, 2) w group by 1";

  /** A job as stored. */
  public record Job(UUID id, UUID termId, String status, int progress, JsonObject request, JsonObject proposal, String error,
                    UUID createdBy, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime appliedAt) {

    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("termId", termId.toString()).put("status", status).put("progress", progress)
          .put("request", request).put("proposal", proposal).put("error", error).put("createdBy", createdBy.toString())
          .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString())
          .put("appliedAt", appliedAt == null ? null : appliedAt.toString());
    }
  }

  public record Page(List<Job> items, long total) {
  }

  private final Pool pool;

  public AutoScheduleStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> insert(UUID id, UUID termId, JsonObject request, UUID createdBy) {
    return Db.recover(pool.preparedQuery(INSERT).execute(Tuple.of(id, termId, request, createdBy)).mapEmpty());
  }

  public Future<Optional<Job>> find(UUID id) {
    return Db.recover(pool.preparedQuery(JOB).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()))));
  }

  /** Jobs newest first, without their demand lists and proposals (their statistics only). */
  public Future<Page> list(int limit, int offset) {
    return Db.recover(pool.preparedQuery(LIST).execute(Tuple.of(limit, offset)).map(rows -> {
      List<Job> out = new ArrayList<>();
      long total = 0;
      for (Row r : rows) {
        Job j = job(r);
        JsonObject stats = j.proposal();
        out.add(new Job(j.id(), j.termId(), j.status(), j.progress(), j.request(), stats == null ? null : new JsonObject().put("stats", stats),
            j.error(), j.createdBy(), j.createdAt(), j.updatedAt(), j.appliedAt()));
        total = r.getLong("total");
      }
      return new Page(out, total);
    }));
  }

  /** Takes the oldest waiting job (or one whose node died), so that one node runs it. */
  public Future<Optional<Job>> claim() {
    return Db.recover(pool.preparedQuery(CLAIM).execute(Tuple.of(STALE_SECONDS))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()))));
  }

  /** Records progress; answers false when the job is no longer running here (discarded meanwhile). */
  public Future<Boolean> progress(UUID id, int percent) {
    return changed(PROGRESS, Tuple.of(id, percent));
  }

  public Future<Boolean> finish(UUID id, JsonObject proposal) {
    return changed(FINISH, Tuple.of(id, proposal));
  }

  public Future<Boolean> fail(UUID id, String error) {
    return changed(FAIL, Tuple.of(id, error));
  }

  /** Gives a running job back to the queue (this node is stopping). */
  public Future<Boolean> release(UUID id) {
    return changed(RELEASE, Tuple.of(id));
  }

  public Future<Boolean> discard(UUID id) {
    return changed(DISCARD, Tuple.of(id));
  }

  /** In the applying transaction: marks the proposal applied, failing when it was applied or discarded meanwhile. */
  public static Future<Void> markApplied(SqlConnection c, UUID id) {
    return c.preparedQuery(APPLIED).execute(Tuple.of(id)).map(r -> {
      if (r.rowCount() != 1) {
        throw org.kelian.core.error.KelianException.conflict("proposal_not_open", "该排课方案已应用或已放弃",
            "This proposal has already been applied or discarded");
      }
      return null;
    });
  }

  /**
   * Every teacher, classroom and class taken during the term: by a session, on the timetable weekday its date
   * follows (a make-up day counts as the weekday it runs; days without classes are left out, a weekly session never
   * falls on them), and by the schools' own timetables.
   */
  public Future<List<AutoSchedulePlan.Busy>> busy(Term term) {
    return sessionsBusy(term).compose(out -> Db.recover(pool.preparedQuery(TIMETABLE).execute(Tuple.of(term.id())).map(rows -> {
      for (Row r : rows) {
        java.time.DayOfWeek day = java.time.DayOfWeek.of(r.getInteger("weekday"));
        for (String column : List.of("teacher_id", "class_id", "classroom_id")) {
          UUID id = r.getUUID(column);
          if (id != null) {
            out.add(new AutoSchedulePlan.Busy(id, r.getUUID("school_id"), day, r.getLocalTime("starts"), r.getLocalTime("ends")));
          }
        }
      }
      return out;
    })));
  }

  private Future<List<AutoSchedulePlan.Busy>> sessionsBusy(Term term) {
    OffsetDateTime from = term.startsOn().atStartOfDay(ZONE).toOffsetDateTime();
    OffsetDateTime to = term.endsOn().plusDays(1).atStartOfDay(ZONE).toOffsetDateTime();
    return Db.recover(pool.preparedQuery(BUSY).execute(Tuple.of(from, to)).map(rows -> {
      List<AutoSchedulePlan.Busy> out = new ArrayList<>();
      for (Row r : rows) {
        var start = r.getOffsetDateTime("starts_at").atZoneSameInstant(ZONE);
        var end = r.getOffsetDateTime("ends_at").atZoneSameInstant(ZONE);
        term.timetableDay(start.toLocalDate()).ifPresent(day -> out.add(new AutoSchedulePlan.Busy(r.getUUID("resource_id"),
            r.getUUID("school_id"), day, start.toLocalTime(), end.toLocalDate().equals(start.toLocalDate()) ? end.toLocalTime()
                : java.time.LocalTime.MAX)));
      }
      return out;
    }));
  }

  /** Cross-school periods each teacher already leads in their busiest week of the term: what counts against their limit. */
  public Future<java.util.Map<UUID, Integer>> loads(Term term) {
    OffsetDateTime from = term.startsOn().atStartOfDay(ZONE).toOffsetDateTime();
    OffsetDateTime to = term.endsOn().plusDays(1).atStartOfDay(ZONE).toOffsetDateTime();
    return Db.recover(pool.preparedQuery(LOADS).execute(Tuple.of(from, to)).map(rows -> {
      java.util.Map<UUID, Integer> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getUUID("lead_teacher_id"), r.getInteger("n")));
      return out;
    }));
  }

  private Future<Boolean> changed(String sql, Tuple args) {
    return Db.recover(pool.preparedQuery(sql).execute(args).map(r -> r.rowCount() == 1));
  }

  private static Job job(Row r) {
    Object request = r.getValue("request");
    Object proposal = r.getValue("proposal");
    return new Job(r.getUUID("id"), r.getUUID("term_id"), r.getString("status"), r.getInteger("progress"),
        request instanceof JsonObject j ? j : new JsonObject(), proposal instanceof JsonObject p ? p : null, r.getString("error"),
        r.getUUID("created_by"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"), r.getOffsetDateTime("applied_at"));
  }
}
