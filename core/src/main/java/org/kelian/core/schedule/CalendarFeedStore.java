package org.kelian.core.schedule;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.auth.Secrets;
import org.kelian.core.db.Db;

/** Calendar feeds, and the sessions a feed shows, in PostgreSQL. */
public final class CalendarFeedStore {

  private static final String INSERT = "insert into calendar_feeds (id, kind, resource_id, token_hash, created_by) values ($1, $2, $3, $4, $5) "
      + "returning created_at";
  private static final String BY_TOKEN = "select * from calendar_feeds where token_hash = $1 and revoked_at is null";
  private static final String BY_ID = "select * from calendar_feeds where id = $1 and revoked_at is null";
  private static final String BY_CREATOR = "select * from calendar_feeds where created_by = $1 and revoked_at is null order by created_at, id";
  private static final String REVOKE = "update calendar_feeds set revoked_at = now() where id = $1 and revoked_at is null";
  // Every session of the teacher or classroom (leading or receiving) with an occurrence in the window, whole.
  private static final String SESSIONS = "select cs.id, cs.type, cs.title, cs.subject, cs.grade, cs.weekly, cs.created_at, "
      + "cs.lead_school_id, s.name as school_name, cs.lead_classroom_id, c.name as classroom_name, cs.lead_teacher_id, "
      + "u.display_name as teacher_name from class_sessions cs "
      + "join schools s on s.id = cs.lead_school_id join classrooms c on c.id = cs.lead_classroom_id join users u on u.id = cs.lead_teacher_id "
      + "where exists (select 1 from session_resources sr where sr.session_id = cs.id and sr.kind = $1 and sr.resource_id = $2) "
      + "and exists (select 1 from session_occurrences o where o.session_id = cs.id and o.starts_at < $4 and o.ends_at > $3) "
      + "order by cs.created_at, cs.id limit $5";
  private static final String OCCURRENCES = "select * from session_occurrences where session_id = any($1) order by original_starts_at, id";
  private static final String RECEIVERS = "select r.session_id, r.school_id, s.name as school_name, r.classroom_id, c.name as classroom_name, "
      + "r.teacher_id from session_receivers r join schools s on s.id = r.school_id left join classrooms c on c.id = r.classroom_id "
      + "where r.session_id = any($1) order by s.name, r.school_id";

  private final Pool pool;

  public CalendarFeedStore(Pool pool) {
    this.pool = pool;
  }

  public Future<CalendarFeed> insert(UUID id, String kind, UUID resourceId, String token, UUID createdBy) {
    return Db.recover(pool.preparedQuery(INSERT).execute(Tuple.of(id, kind, resourceId, Secrets.hash(token), createdBy))
        .map(rows -> new CalendarFeed(id, kind, resourceId, createdBy, rows.iterator().next().getOffsetDateTime("created_at"))));
  }

  /** The live feed whose secret is {@code token}. */
  public Future<Optional<CalendarFeed>> byToken(String token) {
    return Db.recover(pool.preparedQuery(BY_TOKEN).execute(Tuple.of(Secrets.hash(token))).map(rows -> first(rows.iterator())));
  }

  public Future<Optional<CalendarFeed>> find(UUID id) {
    return Db.recover(pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(rows -> first(rows.iterator())));
  }

  public Future<List<CalendarFeed>> byCreator(UUID userId) {
    return Db.recover(pool.preparedQuery(BY_CREATOR).execute(Tuple.of(userId)).map(rows -> {
      List<CalendarFeed> out = new ArrayList<>();
      rows.forEach(r -> out.add(feed(r)));
      return out;
    }));
  }

  public Future<Boolean> revoke(UUID id) {
    return Db.recover(pool.preparedQuery(REVOKE).execute(Tuple.of(id)).map(r -> r.rowCount() == 1));
  }

  /** The sessions of a teacher or classroom with an occurrence between two instants, with all their occurrences. */
  Future<List<SessionEvents.Session>> sessions(String kind, UUID resourceId, OffsetDateTime from, OffsetDateTime to, int limit) {
    return Db.recover(pool.preparedQuery(SESSIONS).execute(Tuple.of(kind, resourceId, from, to, limit)).compose(rows -> {
      List<Row> sessions = new ArrayList<>();
      rows.forEach(sessions::add);
      if (sessions.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      UUID[] ids = sessions.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
      Tuple byIds = Tuple.tuple().addArrayOfUUID(ids);
      return pool.preparedQuery(OCCURRENCES).execute(byIds).compose(occ -> pool.preparedQuery(RECEIVERS).execute(byIds).map(rec -> {
        Map<UUID, List<SessionEvents.Occurrence>> occurrences = new HashMap<>();
        occ.forEach(o -> occurrences.computeIfAbsent(o.getUUID("session_id"), k -> new ArrayList<>()).add(new SessionEvents.Occurrence(
            o.getUUID("id"), o.getOffsetDateTime("starts_at"), o.getOffsetDateTime("ends_at"), o.getOffsetDateTime("original_starts_at"),
            o.getString("status"), o.getInteger("revision"), o.getOffsetDateTime("updated_at"))));
        Map<UUID, List<SessionEvents.Receiver>> receivers = new HashMap<>();
        rec.forEach(r -> receivers.computeIfAbsent(r.getUUID("session_id"), k -> new ArrayList<>()).add(new SessionEvents.Receiver(
            r.getUUID("school_id"), r.getString("school_name"), r.getUUID("classroom_id"), r.getString("classroom_name"), r.getUUID("teacher_id"))));
        List<SessionEvents.Session> out = new ArrayList<>();
        for (Row r : sessions) {
          UUID id = r.getUUID("id");
          out.add(new SessionEvents.Session(id, r.getString("type"), r.getString("title"), r.getString("subject"), r.getString("grade"),
              r.getBoolean("weekly"), r.getUUID("lead_school_id"), r.getString("school_name"), r.getUUID("lead_classroom_id"),
              r.getString("classroom_name"), r.getUUID("lead_teacher_id"), r.getString("teacher_name"), r.getOffsetDateTime("created_at"),
              receivers.getOrDefault(id, List.of()), occurrences.getOrDefault(id, List.of())));
        }
        return out;
      }));
    }));
  }

  private static Optional<CalendarFeed> first(Iterator<Row> rows) {
    return rows.hasNext() ? Optional.of(feed(rows.next())) : Optional.empty();
  }

  private static CalendarFeed feed(Row r) {
    return new CalendarFeed(r.getUUID("id"), r.getString("kind"), r.getUUID("resource_id"), r.getUUID("created_by"),
        r.getOffsetDateTime("created_at"));
  }

}
