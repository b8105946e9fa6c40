package org.kelian.core.search;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Finds, for videos among the hits, the first caption cue that holds every searched word. */
public interface MomentFinder {

  Future<Map<UUID, SearchResult.Moment>> find(List<UUID> resourceIds, List<String> words);

  MomentFinder NONE = (ids, words) -> Future.succeededFuture(Map.of());
}
