package org.kelian.core.live;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kelian.core.db.Db;

/** Attendance of class rooms and the shared room-token key, in PostgreSQL. */
public final class LiveStore {

  private static final String INSERT_KEY = "insert into platform_keys (name, secret) values ($1, $2) on conflict (name) do nothing";
  private static final String KEY = "select secret from platform_keys where name = $1";
  private static final String JOINED = "insert into live_attendance (id, occurrence_id, user_id, role, school_id, classroom_id, joined_at) "
      + "values ($1, $2, $3, $4, $5, $6, $7)";
  private static final String LEFT = "update live_attendance set left_at = $2 where id = $1 and left_at is null";
  private static final String STATUS = "select status from session_occurrences where id = $1";
  private static final String RECORDED = "insert into live_recordings (resource_id, occurrence_id, session_id, created_by) values ($1, $2, $3, $4)";
  private static final String SESSION_OF = "select session_id from live_recordings where resource_id = $1";
  private static final String RECORDINGS = "select resource_id from live_recordings where occurrence_id = $1 order by created_at";
  private static final String ATTENDANCE = "select a.*, u.display_name from live_attendance a join users u on u.id = a.user_id "
      + "where a.occurrence_id = $1 order by a.joined_at, a.id";

  /** One join of a participant, with when they left (null while connected, or when the node died before it saw them go). */
  public record Attendance(UUID id, UUID userId, String displayName, LiveRole role, UUID schoolId, UUID classroomId,
                           OffsetDateTime joinedAt, OffsetDateTime leftAt) {
  }

  private final Pool pool;

  public LiveStore(Pool pool) {
    this.pool = pool;
  }

  /** The key of this name, made once from 32 random bytes by whichever node asks first. */
  public Future<byte[]> key(String name) {
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    return Db.recover(pool.preparedQuery(INSERT_KEY).execute(Tuple.of(name, Buffer.buffer(fresh)))
        .compose(v -> pool.preparedQuery(KEY).execute(Tuple.of(name)))
        .map(rows -> rows.iterator().next().getBuffer("secret").getBytes()));
  }

  public Future<UUID> joined(LiveClaims c, Instant at) {
    UUID id = UUID.randomUUID();
    return Db.recover(pool.preparedQuery(JOINED).execute(Tuple.tuple().addUUID(id).addUUID(c.occurrenceId()).addUUID(c.userId())
        .addString(c.role().wire()).addUUID(c.schoolId()).addUUID(c.classroomId()).addOffsetDateTime(at.atOffset(ZoneOffset.UTC)))
        .map(r -> id));
  }

  public Future<Void> left(UUID attendanceId, Instant at) {
    return Db.recover(pool.preparedQuery(LEFT).execute(Tuple.of(attendanceId, at.atOffset(ZoneOffset.UTC))).mapEmpty());
  }

  /** scheduled, live, ended or cancelled; null for an occurrence that no longer exists. */
  public Future<String> occurrenceStatus(UUID occurrenceId) {
    return Db.recover(pool.preparedQuery(STATUS).execute(Tuple.of(occurrenceId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("status")));
  }

  public Future<Void> recorded(UUID resourceId, UUID occurrenceId, UUID sessionId, UUID by) {
    return Db.recover(pool.preparedQuery(RECORDED).execute(Tuple.of(resourceId, occurrenceId, sessionId, by)).mapEmpty());
  }

  /** The session whose class this resource recorded, if it is a live recording. */
  public Future<java.util.Optional<UUID>> sessionOf(UUID resourceId) {
    return Db.recover(pool.preparedQuery(SESSION_OF).execute(Tuple.of(resourceId))
        .map(rows -> rows.size() == 0 ? java.util.Optional.<UUID>empty() : java.util.Optional.of(rows.iterator().next().getUUID("session_id"))));
  }

  /** The recording resources of an occurrence, oldest first. */
  public Future<List<UUID>> recordings(UUID occurrenceId) {
    return Db.recover(pool.preparedQuery(RECORDINGS).execute(Tuple.of(occurrenceId)).map(rows -> {
      List<UUID> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getUUID("resource_id")));
      return out;
    }));
  }

  public Future<List<Attendance>> attendance(UUID occurrenceId) {
    return Db.recover(pool.preparedQuery(ATTENDANCE).execute(Tuple.of(occurrenceId)).map(rows -> {
      List<Attendance> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Attendance(r.getUUID("id"), r.getUUID("user_id"), r.getString("display_name"),
            LiveRole.parse(r.getString("role")).orElseThrow(), r.getUUID("school_id"), r.getUUID("classroom_id"),
            r.getOffsetDateTime("joined_at"), r.getOffsetDateTime("left_at")));
      }
      return out;
    }));
  }
}
