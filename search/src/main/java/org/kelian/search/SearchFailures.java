package org.kelian.search;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.kelian.core.error.KelianException;

/** Turns what the Elasticsearch client fails with into what the rest of Kelian understands. */
final class SearchFailures {

  private SearchFailures() {
  }

  /**
   * Connection errors, timeouts, the cluster's own 5xx/429 answers and a missing index mean "try again later";
   * any other error answer (4xx) means this adapter built a wrong request, which is a bug and stays what it is.
   */
  static Throwable translate(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof KelianException) {
      return t;
    }
    if (t instanceof ElasticsearchException e && !isTransient(e.status()) && !indexNotReady(e)) {
      return e;
    }
    return unavailable(t);
  }

  /** The alias is created by the indexer once Elasticsearch answers; until then search is not ready, not broken. */
  static boolean indexNotReady(ElasticsearchException e) {
    return e.error() != null && "index_not_found_exception".equals(e.error().type());
  }

  static boolean isTransient(int status) {
    return status >= 500 || status == 429;
  }

  static KelianException unavailable(Throwable cause) {
    return KelianException.unavailable("search_unavailable", "搜索服务暂时不可用，请稍后再试",
        "Search is temporarily unavailable; try again shortly", cause);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
