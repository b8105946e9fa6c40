package org.kelian.core.media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.db.Db;

/**
 * Transcode jobs, published media and playback positions in PostgreSQL. A job is owned by the worker that claimed
 * it: every write of a running job names that worker, so a job taken back from a dead node cannot be finished by
 * it, and a cancelled job cannot be published.
 */
public final class TranscodeStore {

  private static final String JOB_COLUMNS = "j.*, r.title as resource_title";
  /** One job per file version of every video and recording; idempotent, so it serves both uploads and start-up. */
  private static final String ENQUEUE = "insert into transcode_jobs (id, resource_id, source_key, status) "
      + "select gen_random_uuid(), r.id, r.file_object_key, 'queued' from resources r "
      + "where r.type in ('video', 'recording') and r.file_object_key is not null and ($1::uuid is null or r.id = $1) "
      + "on conflict (resource_id, source_key) do nothing";
  /** A job whose file was replaced has nothing left to do. */
  private static final String SUPERSEDE = "update transcode_jobs j set status = 'cancelled', finished_at = now(), "
      + "error_code = 'superseded', error_zh = '文件已被替换', error_en = 'The file was replaced' "
      + "from resources r where j.resource_id = r.id and j.status in ('queued', 'running') "
      + "and ($1::uuid is null or r.id = $1) and j.source_key is distinct from r.file_object_key";
  private static final String CLAIM = "update transcode_jobs set status = 'running', worker = $1, attempts = attempts + 1, "
      + "heartbeat_at = now(), started_at = now(), progress = 0 where id = (select id from transcode_jobs "
      + "where status = 'queued' and not_before <= now() order by priority, created_at limit 1 for update skip locked) returning id";
  private static final String HEARTBEAT = "update transcode_jobs set progress = $3, heartbeat_at = now() "
      + "where id = $1 and worker = $2 and status = 'running'";
  private static final String REQUEUE_STALE = "update transcode_jobs set status = 'queued', priority = 0, worker = null, "
      + "not_before = now() where status = 'running' and heartbeat_at < now() - make_interval(secs => $1)";
  private static final String RELEASE = "update transcode_jobs set status = 'queued', priority = 0, worker = null, not_before = now() "
      + "where id = $1 and worker = $2 and status = 'running'";
  private static final String RETRY_LATER = "update transcode_jobs set status = 'queued', worker = null, not_before = $3, "
      + "error_code = $4, error_zh = $5, error_en = $6 where id = $1 and worker = $2 and status = 'running'";
  private static final String FAIL = "update transcode_jobs set status = 'failed', finished_at = now(), "
      + "error_code = $3, error_zh = $4, error_en = $5 where id = $1 and worker = $2 and status = 'running'";
  private static final String SUCCEED = "update transcode_jobs set status = 'succeeded', progress = 1, finished_at = now(), "
      + "error_code = null, error_zh = null, error_en = null where id = $1 and worker = $2 and status = 'running'";
  private static final String PREVIOUS_PREFIX = "select prefix from media where resource_id = $1 for update";
  private static final String PUBLISH = "insert into media (resource_id, job_id, prefix, duration_seconds, audio_only, renditions, "
      + "poster, thumbnails) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (resource_id) do update set job_id = excluded.job_id, "
      + "prefix = excluded.prefix, duration_seconds = excluded.duration_seconds, audio_only = excluded.audio_only, "
      + "renditions = excluded.renditions, poster = excluded.poster, thumbnails = excluded.thumbnails, published_at = now()";
  private static final String CANCEL = "update transcode_jobs set status = 'cancelled', finished_at = now(), "
      + "error_code = 'cancelled', error_zh = '转码已被管理员取消', error_en = 'The transcode was cancelled by an administrator' "
      + "where id = $1 and status in ('queued', 'running')";
  private static final String RETRY = "update transcode_jobs j set status = 'queued', attempts = 0, priority = 1, not_before = now(), "
      + "progress = 0, worker = null, finished_at = null, error_code = null, error_zh = null, error_en = null "
      + "from resources r where j.id = $1 and r.id = j.resource_id and j.status in ('failed', 'cancelled') "
      + "and r.file_object_key = j.source_key";
  private static final String BY_ID = "select " + JOB_COLUMNS + " from transcode_jobs j join resources r on r.id = j.resource_id where j.id = $1";
  private static final String CURRENT = "select " + JOB_COLUMNS + " from transcode_jobs j join resources r on r.id = j.resource_id "
      + "where j.resource_id = $1 and j.source_key = r.file_object_key";
  private static final String LIST = "select " + JOB_COLUMNS + " from transcode_jobs j join resources r on r.id = j.resource_id "
      + "where ($1::text is null or j.status = $1) and ($2::uuid is null or r.owner_school_id = $2) "
      + "order by j.created_at desc limit $3 offset $4";
  private static final String COUNT = "select count(*) from transcode_jobs j join resources r on r.id = j.resource_id "
      + "where ($1::text is null or j.status = $1) and ($2::uuid is null or r.owner_school_id = $2)";
  private static final String MEDIA = "select * from media where resource_id = $1";
  private static final String POSITION = "select position_seconds from playback_positions where user_id = $1 and resource_id = $2";
  private static final String SAVE_POSITION = "insert into playback_positions (user_id, resource_id, position_seconds) values ($1, $2, $3) "
      + "on conflict (user_id, resource_id) do update set position_seconds = excluded.position_seconds, updated_at = now()";

  private final Pool pool;

  public TranscodeStore(Pool pool) {
    this.pool = pool;
  }

  /** Queues a job for every video file that has none (of one resource, or all when null); cancels superseded ones. */
  public Future<Integer> enqueue(UUID resourceId) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(SUPERSEDE).execute(Tuple.of(resourceId))
        .compose(x -> c.preparedQuery(ENQUEUE).execute(Tuple.of(resourceId))).map(RowSet::rowCount)));
  }

  public Future<Optional<TranscodeJob>> claim(String worker) {
    return Db.recover(pool.preparedQuery(CLAIM).execute(Tuple.of(worker)))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.empty()) : find(rows.iterator().next().getUUID("id")));
  }

  /** Records progress; answers false when the job is no longer this worker's to run (cancelled, or taken back). */
  public Future<Boolean> heartbeat(UUID id, String worker, double progress) {
    return Db.recover(pool.preparedQuery(HEARTBEAT).execute(Tuple.of(id, worker, (float) progress)).map(r -> r.rowCount() == 1));
  }

  /** Puts jobs whose worker stopped beating back in the queue, ahead of the others. */
  public Future<Integer> requeueStale(long staleSeconds) {
    return Db.recover(pool.preparedQuery(REQUEUE_STALE).execute(Tuple.of((double) staleSeconds)).map(RowSet::rowCount));
  }

  /** Gives a running job back to the queue, ahead of the others (this worker is stopping). */
  public Future<Void> release(UUID id, String worker) {
    return Db.recover(pool.preparedQuery(RELEASE).execute(Tuple.of(id, worker)).mapEmpty());
  }

  public Future<Void> retryLater(UUID id, String worker, OffsetDateTime at, String code, String zh, String en) {
    return Db.recover(pool.preparedQuery(RETRY_LATER).execute(Tuple.from(List.of(id, worker, at, code, zh, en))).mapEmpty());
  }

  public Future<Void> fail(UUID id, String worker, String code, String zh, String en) {
    return Db.recover(pool.preparedQuery(FAIL).execute(Tuple.of(id, worker, code, zh, en)).mapEmpty());
  }

  /**
   * Publishes a job's outputs in one transaction: the job succeeds and the resource's media points at its prefix.
   * Answers the prefix it replaced (to delete), or fails with {@link java.util.concurrent.CancellationException}
   * when the job stopped being this worker's meanwhile.
   */
  public Future<Optional<String>> publish(UUID jobId, String worker, Published media) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(SUCCEED).execute(Tuple.of(jobId, worker)).compose(done -> {
      if (done.rowCount() != 1) {
        return Future.failedFuture(new java.util.concurrent.CancellationException("job " + jobId + " is no longer running here"));
      }
      return c.preparedQuery(PREVIOUS_PREFIX).execute(Tuple.of(media.resourceId())).compose(prev -> {
        Optional<String> previous = prev.size() == 0 ? Optional.empty() : Optional.of(prev.iterator().next().getString("prefix"));
        JsonArray renditions = new JsonArray();
        media.renditions().forEach(r -> renditions.add(r.toJson()));
        return c.preparedQuery(PUBLISH).execute(Tuple.from(List.of(media.resourceId(), jobId, media.prefix(), media.durationSeconds(),
                media.audioOnly(), renditions)).addValue(media.poster()).addValue(media.thumbnails()))
            .map(x -> previous.filter(p -> !p.equals(media.prefix())));
      });
    })));
  }

  public Future<Optional<TranscodeJob>> cancel(UUID id) {
    return Db.recover(pool.preparedQuery(CANCEL).execute(Tuple.of(id))).compose(x -> find(id));
  }

  /** Queues a failed or cancelled job again; answers false when it is in another state or its file was replaced. */
  public Future<Boolean> retry(UUID id) {
    return Db.recover(pool.preparedQuery(RETRY).execute(Tuple.of(id)).map(r -> r.rowCount() == 1));
  }

  public Future<Optional<TranscodeJob>> find(UUID id) {
    return Db.recover(pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(TranscodeStore::first));
  }

  /** The job of the resource's current file, if there is one yet. */
  public Future<Optional<TranscodeJob>> current(UUID resourceId) {
    return Db.recover(pool.preparedQuery(CURRENT).execute(Tuple.of(resourceId)).map(TranscodeStore::first));
  }

  public Future<List<TranscodeJob>> list(TranscodeJob.Status status, UUID schoolId, int limit, int offset) {
    return Db.recover(pool.preparedQuery(LIST).execute(Tuple.of(status == null ? null : status.wire(), schoolId, limit, offset))
        .map(rows -> {
          List<TranscodeJob> out = new ArrayList<>();
          rows.forEach(r -> out.add(job(r)));
          return out;
        }));
  }

  public Future<Long> count(TranscodeJob.Status status, UUID schoolId) {
    return Db.recover(pool.preparedQuery(COUNT).execute(Tuple.of(status == null ? null : status.wire(), schoolId))
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  public Future<Optional<Published>> media(UUID resourceId) {
    return Db.recover(pool.preparedQuery(MEDIA).execute(Tuple.of(resourceId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      List<Transcoder.Rendition> renditions = new ArrayList<>();
      Db.jsonArray(r, "renditions").forEach(o -> renditions.add(Transcoder.Rendition.fromJson((JsonObject) o)));
      return Optional.of(new Published(r.getUUID("resource_id"), r.getUUID("job_id"), r.getString("prefix"),
          r.getDouble("duration_seconds"), r.getBoolean("audio_only"), renditions, r.getString("poster"), r.getString("thumbnails")));
    }));
  }

  public Future<Optional<Double>> position(UUID userId, UUID resourceId) {
    return Db.recover(pool.preparedQuery(POSITION).execute(Tuple.of(userId, resourceId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getDouble(0))));
  }

  public Future<Void> savePosition(UUID userId, UUID resourceId, double seconds) {
    return Db.recover(pool.preparedQuery(SAVE_POSITION).execute(Tuple.of(userId, resourceId, seconds)).mapEmpty());
  }

  private static Optional<TranscodeJob> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(job(rows.iterator().next()));
  }

  private static TranscodeJob job(Row r) {
    return new TranscodeJob(r.getUUID("id"), r.getUUID("resource_id"), r.getString("resource_title"), r.getString("source_key"),
        TranscodeJob.Status.parse(r.getString("status")), r.getFloat("progress"), r.getInteger("attempts"), r.getString("error_code"),
        r.getString("error_zh"), r.getString("error_en"), r.getOffsetDateTime("not_before"), r.getOffsetDateTime("created_at"),
        r.getOffsetDateTime("started_at"), r.getOffsetDateTime("finished_at"));
  }

  /** A resource's published HLS: the prefix of the job that made it and what it holds (paths relative to the prefix). */
  public record Published(UUID resourceId, UUID jobId, String prefix, double durationSeconds, boolean audioOnly,
                          List<Transcoder.Rendition> renditions, String poster, String thumbnails) {
  }
}
