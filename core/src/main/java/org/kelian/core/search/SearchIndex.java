package org.kelian.core.search;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.kelian.core.health.HealthCheck;

/**
 * The search port. Only published resources are indexed; PostgreSQL stays the system of record and the index
 * can always be rebuilt from it. Implementations own the Chinese and pinyin analysis.
 */
public interface SearchIndex {

  HealthCheck health();

  /**
   * Creates the live index and its alias when missing. Idempotent. Answers false when the live index was built
   * from an older index definition than this code's: then a rebuild is due.
   */
  Future<Boolean> ensureIndex();

  /** Indexes or replaces these documents; visible to searches within about a second. */
  Future<Void> upsert(Collection<SearchDocument> docs);

  /** Removes these documents; ids that are not indexed are ignored. */
  Future<Void> delete(Collection<UUID> ids);

  Future<SearchResult> search(SearchQuery query);

  /** Completions for what has been typed so far (Chinese, pinyin or pinyin initials). */
  Future<List<Suggestion>> suggest(String prefix, List<String> visibility, int size);

  /**
   * Starts a rebuild into a fresh index while searches keep using the live one; {@link Rebuild#commit()} swaps
   * the alias in one step and drops the old index.
   */
  Future<Rebuild> beginRebuild();

  interface Rebuild {
    Future<Void> add(Collection<SearchDocument> docs);

    Future<Void> commit();

    Future<Void> abort();
  }
}
