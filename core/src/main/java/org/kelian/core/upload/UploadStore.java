package org.kelian.core.upload;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.db.Db;

/** Upload state in PostgreSQL; every write is conditional on the offset it started from. */
public final class UploadStore {

  private static final String INSERT = "insert into uploads (id, resource_id, owner_id, length, file_name, object_key, s3_upload_id, expires_at) "
      + "values ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String BY_ID = "select * from uploads where id = $1";
  private static final String PROGRESS = "update uploads set upload_offset = $3, parts = $4, pending_key = $5, pending_size = $6, "
      + "updated_at = now() where id = $1 and upload_offset = $2 and status = 'active'";
  private static final String EXPIRED = "select * from uploads where status = 'active' and expires_at < now() order by expires_at limit $1";
  private static final String STATUS = "update uploads set status = $2, updated_at = now() where id = $1";
  private static final String DECLARE = "update uploads set length = $2, updated_at = now() where id = $1 and length is null "
      + "and status = 'active' and upload_offset <= $2";
  private static final String DEFERRED_OF = "select * from uploads where status = 'active' and length is null and resource_id = any($1)";

  private final Pool pool;

  public UploadStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> insert(Upload u) {
    return Db.recover(pool.preparedQuery(INSERT).execute(Tuple.tuple().addUUID(u.id()).addUUID(u.resourceId()).addUUID(u.ownerId())
        .addValue(u.lengthKnown() ? u.length() : null).addString(u.fileName()).addString(u.objectKey()).addString(u.s3UploadId())
        .addOffsetDateTime(u.expiresAt())).mapEmpty());
  }

  /** Sets the length of a deferred-length upload once (not below its offset); answers whether it did. */
  public Future<Boolean> declareLength(UUID id, long length) {
    return Db.recover(pool.preparedQuery(DECLARE).execute(Tuple.of(id, length)).map(rows -> rows.rowCount() == 1));
  }

  /** The active uploads of unknown length feeding these resources. */
  public Future<List<Upload>> deferredOf(List<UUID> resourceIds) {
    return Db.recover(pool.preparedQuery(DEFERRED_OF).execute(Tuple.of(resourceIds.toArray(new UUID[0]))).map(rows -> {
      List<Upload> out = new ArrayList<>();
      rows.forEach(r -> out.add(upload(r)));
      return out;
    }));
  }

  public Future<Optional<Upload>> find(UUID id) {
    return Db.recover(pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(upload(it.next())) : Optional.empty();
    }));
  }

  /** Records progress if nobody else moved the offset first; answers whether it did. */
  public Future<Boolean> progress(long fromOffset, Upload u) {
    return Db.recover(pool.preparedQuery(PROGRESS).execute(Tuple.from(List.of(u.id(), fromOffset, u.offset(), new JsonArray(u.parts())))
        .addValue(u.pendingKey()).addValue(u.pendingSize()))
        .map(rows -> rows.rowCount() == 1));
  }

  public Future<List<Upload>> expired(int limit) {
    return Db.recover(pool.preparedQuery(EXPIRED).execute(Tuple.of(limit)).map(rows -> {
      List<Upload> out = new ArrayList<>();
      rows.forEach(r -> out.add(upload(r)));
      return out;
    }));
  }

  public Future<Void> setStatus(UUID id, Upload.Status status) {
    return Db.recover(pool.preparedQuery(STATUS).execute(Tuple.of(id, status.name().toLowerCase(Locale.ROOT))).mapEmpty());
  }

  private static Upload upload(Row r) {
    List<String> parts = new ArrayList<>();
    JsonArray arr = Db.jsonArray(r, "parts");
    arr.forEach(p -> parts.add(String.valueOf(p)));
    Long length = r.getLong("length");
    return new Upload(r.getUUID("id"), r.getUUID("resource_id"), r.getUUID("owner_id"), length == null ? Upload.DEFERRED : length,
        r.getLong("upload_offset"), r.getString("file_name"), r.getString("object_key"), r.getString("s3_upload_id"), parts,
        r.getString("pending_key"), r.getLong("pending_size"),
        Upload.Status.valueOf(r.getString("status").toUpperCase(Locale.ROOT)), r.getOffsetDateTime("expires_at"));
  }
}
