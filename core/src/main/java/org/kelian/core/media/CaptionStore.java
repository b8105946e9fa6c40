package org.kelian.core.media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.db.Db;

/** Caption tracks in PostgreSQL: one per resource and language, the cues as JSON. */
public final class CaptionStore {

  private static final String UPSERT = "insert into captions (resource_id, lang, label, cues) values ($1, $2, $3, $4) "
      + "on conflict (resource_id, lang) do update set label = excluded.label, cues = excluded.cues, updated_at = now()";
  private static final String LIST = "select lang, label, jsonb_array_length(cues) as n from captions where resource_id = $1 order by lang";
  private static final String ONE = "select cues from captions where resource_id = $1 and lang = $2";
  private static final String MOMENTS = "select distinct on (cap.resource_id) cap.resource_id, (c->>'s')::float8 as s, c->>'t' as t "
      + "from captions cap cross join jsonb_array_elements(cap.cues) c where cap.resource_id = any($1::uuid[]) and c->>'t' like all($2::text[]) "
      + "order by cap.resource_id, cap.lang, (c->>'s')::float8";
  private static final String OUTBOX = "insert into search_outbox (resource_id) values ($1)";
  private static final String DELETE = "delete from captions where resource_id = $1 and lang = $2";

  public record Track(String lang, String label, int cues) {
  }

  private final Pool pool;

  public CaptionStore(Pool pool) {
    this.pool = pool;
  }

  /** Saves a track and, in the same transaction, asks the search index to take the new words. */
  public Future<Void> save(UUID resourceId, String lang, String label, List<Captions.Cue> cues) {
    JsonArray arr = new JsonArray();
    cues.forEach(c -> arr.add(new JsonObject().put("s", c.start()).put("e", c.end()).put("t", c.text())));
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(UPSERT).execute(Tuple.of(resourceId, lang, label, arr))
        .compose(x -> c.preparedQuery(OUTBOX).execute(Tuple.of(resourceId))).mapEmpty()));
  }

  public Future<List<Track>> list(UUID resourceId) {
    return Db.recover(pool.preparedQuery(LIST).execute(Tuple.of(resourceId)).map(rows -> {
      List<Track> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Track(r.getString("lang"), r.getString("label"), r.getInteger("n"))));
      return out;
    }));
  }

  public Future<Optional<List<Captions.Cue>>> cues(UUID resourceId, String lang) {
    return Db.recover(pool.preparedQuery(ONE).execute(Tuple.of(resourceId, lang)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      List<Captions.Cue> out = new ArrayList<>();
      Db.jsonArray(rows.iterator().next(), "cues").forEach(o -> {
        JsonObject c = (JsonObject) o;
        out.add(new Captions.Cue(c.getDouble("s"), c.getDouble("e"), c.getString("t")));
      });
      return Optional.of(out);
    }));
  }

  /** The search's {@link org.kelian.core.search.MomentFinder}: the first cue of each video holding every word. */
  public Future<java.util.Map<UUID, org.kelian.core.search.SearchResult.Moment>> moments(List<UUID> ids, List<String> words) {
    String[] patterns = words.stream().map(w -> "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        .toArray(String[]::new);
    return Db.recover(pool.preparedQuery(MOMENTS).execute(Tuple.tuple().addArrayOfUUID(ids.toArray(new UUID[0])).addArrayOfString(patterns)).map(rows -> {
      java.util.Map<UUID, org.kelian.core.search.SearchResult.Moment> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getUUID("resource_id"), new org.kelian.core.search.SearchResult.Moment(r.getDouble("s"), r.getString("t"))));
      return out;
    }));
  }

  public Future<Boolean> delete(UUID resourceId, String lang) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(DELETE).execute(Tuple.of(resourceId, lang)).compose(r -> r.rowCount() == 0
        ? Future.succeededFuture(false) : c.preparedQuery(OUTBOX).execute(Tuple.of(resourceId)).map(true))));
  }
}
