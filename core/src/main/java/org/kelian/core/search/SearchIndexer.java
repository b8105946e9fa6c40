package org.kelian.core.search;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the search outbox into the index: right after a change (kick) and on a timer, so that writes made while
 * Elasticsearch was down are indexed once it returns. Documents are read fresh from PostgreSQL, which makes
 * replays harmless. Also rebuilds the whole index behind the alias.
 */
public final class SearchIndexer {

  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexer.class);
  private static final int BATCH = 500;
  private static final long RETRY_MS = 2000;

  private final Vertx vertx;
  private final SearchOutbox outbox;
  private final SearchIndex index;
  private io.vertx.core.Context context;
  private boolean indexReady;
  private boolean running;
  private boolean again;
  private List<Promise<Void>> waiting = new ArrayList<>();
  private long timer = -1;

  public SearchIndexer(Vertx vertx, SearchOutbox outbox, SearchIndex index) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.index = index;
  }

  /** Starts draining on a context of its own, so that every pass runs on one event loop. */
  public void start() {
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      timer = vertx.setPeriodic(RETRY_MS, id -> kick());
      kick();
    });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Asks for a drain; calls that arrive while one runs are folded into one more pass. */
  public void kick() {
    if (context != null) {
      context.runOnContext(v -> request());
    }
  }

  /**
   * Drains now and answers when a pass that started after this call has finished (or failed: search down), so a
   * caller can tell a user "published and findable" rather than "published, findable soon".
   */
  public Future<Void> flush() {
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      waiting.add(p);
      request();
    });
    return p.future();
  }

  private void request() {
    if (running) {
      again = true;
    } else {
      pass();
    }
  }

  private void pass() {
    running = true;
    List<Promise<Void>> mine = waiting;
    waiting = new ArrayList<>();
    drain().onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("search outbox not drained yet: {}", ar.cause().getMessage());
      }
      mine.forEach(p -> p.handle(ar.mapEmpty()));
      running = false;
      if (again || !waiting.isEmpty()) {
        again = false;
        pass();
      }
    });
  }

  /** Indexes batches until the outbox is empty; answers how many entries were processed. */
  public Future<Integer> drain() {
    Future<Void> ready = indexReady ? Future.succeededFuture() : index.ensureIndex().<Void>compose(current -> {
      if (current) {
        return Future.succeededFuture();
      }
      // An upgrade changed the index definition: rebuild from PostgreSQL behind the alias, searches keep working.
      LOG.info("the search index was built from an older definition; rebuilding it");
      return copyIntoFreshIndex(Instant.now()).mapEmpty();
    }).onSuccess(x -> indexReady = true);
    return ready.compose(x -> drainBatches());
  }

  private Future<Integer> drainBatches() {
    return outbox.pending(BATCH).compose(entries -> {
      if (entries.isEmpty()) {
        return Future.succeededFuture(0);
      }
      Set<UUID> ids = new LinkedHashSet<>();
      entries.forEach(e -> ids.add(e.resourceId()));
      return outbox.documents(ids).compose(docs -> {
        Set<UUID> gone = new HashSet<>(ids);
        docs.forEach(d -> gone.remove(d.id()));
        Future<Void> up = docs.isEmpty() ? Future.succeededFuture() : index.upsert(docs);
        return up.compose(x -> gone.isEmpty() ? Future.succeededFuture() : index.delete(gone));
      }).compose(x -> outbox.remove(entries)).compose(x -> drainBatches().map(n -> n + entries.size()));
    });
  }

  /** Rebuilds the index from PostgreSQL into a fresh index, swaps the alias, then replays what changed meanwhile. */
  public Future<Long> rebuild() {
    Instant started = Instant.now();
    return index.ensureIndex().compose(x -> copyIntoFreshIndex(started))
        .compose(n -> {
          LOG.info("search index rebuilt with {} documents", n);
          return flush().recover(t -> Future.succeededFuture()).map(n);
        });
  }

  /** Fills a fresh index from PostgreSQL, swaps the alias, and re-queues what changed since {@code started}. */
  private Future<Long> copyIntoFreshIndex(Instant started) {
    return index.beginRebuild().compose(rebuild -> copyAll(rebuild, new UUID(0, 0), 0L)
            .compose(n -> rebuild.commit().map(n))
            .recover(t -> rebuild.abort().transform(x -> Future.failedFuture(t))))
        .compose(n -> outbox.enqueueChangedSince(started).map(n));
  }

  private Future<Long> copyAll(SearchIndex.Rebuild rebuild, UUID after, long count) {
    return outbox.page(after, 2000).compose(docs -> {
      if (docs.isEmpty()) {
        return Future.succeededFuture(count);
      }
      return rebuild.add(docs).compose(x -> copyAll(rebuild, docs.get(docs.size() - 1).id(), count + docs.size()));
    });
  }

}
