package org.kelian.core.search;

import java.util.List;
import java.util.UUID;

/**
 * A search as the API receives it, already validated. {@code text} may be empty (browse by facets).
 * {@code node} keeps resources attached to that catalog node or anywhere below it.
 * {@code visibility} lists the keys the searching user holds; {@code null} means "sees everything" (district admins).
 */
public record SearchQuery(
    String text,
    String stage,
    String subject,
    String edition,
    String grade,
    String type,
    String scope,
    UUID node,
    Sort sort,
    int page,
    int size,
    List<String> visibility) {

  public enum Sort {
    RELEVANCE,
    NEWEST,
    MOST_VIEWED
  }

  public int from() {
    return (page - 1) * size;
  }
}
