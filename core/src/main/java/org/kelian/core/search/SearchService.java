package org.kelian.core.search;

import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.resource.ResourceType;
import org.kelian.core.resource.Scope;

/** Validates what the search box and the facets send, and asks the index with the user's visibility. */
public final class SearchService {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SearchService.class);
  public static final int MAX_QUERY = 100;
  static final int MAX_WINDOW = 10_000;

  private final SearchIndex index;
  private final SearchIndexer indexer;
  private final MomentFinder moments;

  public SearchService(SearchIndex index, SearchIndexer indexer, MomentFinder moments) {
    this.index = index;
    this.indexer = indexer;
    this.moments = moments;
  }

  /** {@code node}: a catalog node id; only resources attached to it or below it. */
  public record Request(String q, String stage, String subject, String edition, String grade, String type, String scope,
                        UUID node, String sort, int page, int size) {
  }

  public Future<SearchResult> search(User actor, Request r) {
    String text = r.q() == null ? "" : r.q().strip();
    if (text.codePointCount(0, text.length()) > MAX_QUERY) {
      throw KelianException.invalid("query_too_long", "搜索词过长（最多 " + MAX_QUERY + " 个字）", "The query is too long (at most " + MAX_QUERY + " characters)");
    }
    if (r.type() != null && ResourceType.parse(r.type()).isEmpty()) {
      throw KelianException.invalid("unknown_type", "未知资源类型：" + r.type(), "Unknown resource type: " + r.type());
    }
    if (r.scope() != null && Scope.parse(r.scope()).isEmpty()) {
      throw KelianException.invalid("unknown_scope", "未知范围：" + r.scope(), "Unknown scope: " + r.scope());
    }
    SearchQuery.Sort sort = sort(r.sort());
    if ((long) r.page() * r.size() > MAX_WINDOW) {
      throw KelianException.invalid("page_too_deep", "翻页过深，请缩小搜索范围", "Paging too deep; narrow the search");
    }
    return index.search(new SearchQuery(text, blankToNull(r.stage()), blankToNull(r.subject()), blankToNull(r.edition()),
        blankToNull(r.grade()), r.type(), r.scope(), r.node(), sort, r.page(), r.size(), visibility(actor)))
        .compose(result -> withMoments(result, text));
  }

  /**
   * Videos found by words spoken in them link to the moment: the first caption cue holding every Chinese word of
   * the query (pinyin does not describe captions). One lookup for the page's captioned hits, none when the page
   * has none (most videos have no captions: the lookup cost a PostgreSQL round trip per Chinese search that found
   * any video).
   */
  private Future<SearchResult> withMoments(SearchResult result, String text) {
    List<String> words = java.util.Arrays.stream(text.split("\\s+"))
        .filter(w -> w.codePoints().anyMatch(Character::isIdeographic)).toList();
    List<UUID> videos = result.hits().stream().filter(SearchResult.Hit::captioned).map(SearchResult.Hit::id).toList();
    if (words.isEmpty() || videos.isEmpty()) {
      return Future.succeededFuture(result);
    }
    return moments.find(videos, words).map(found -> found.isEmpty() ? result : new SearchResult(result.total(),
        result.hits().stream().map(h -> found.containsKey(h.id()) ? h.withMoment(found.get(h.id())) : h).toList(), result.facets()))
        .recover(t -> {
          LOG.warn("finding caption moments: {}", String.valueOf(t.getCause() == null ? t : t.getCause())); // a missing moment is no reason to fail a search
          return Future.succeededFuture(result);
        });
  }

  public Future<List<Suggestion>> suggest(User actor, String q) {
    String text = q == null ? "" : q.strip();
    if (text.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (text.length() > 50) {
      throw KelianException.invalid("query_too_long", "输入过长", "The input is too long");
    }
    return index.suggest(text, visibility(actor), 8);
  }

  /** Rebuilds the index from PostgreSQL without search downtime (district admins). */
  public Future<Long> rebuild(User actor) {
    if (!actor.has(Role.DISTRICT_ADMIN)) {
      throw KelianException.forbidden();
    }
    return indexer.rebuild();
  }

  /** District admins see everything; everyone else what their region and school may see. */
  static List<String> visibility(User actor) {
    return actor.has(Role.DISTRICT_ADMIN) ? null : Visibility.userKeys(actor.regionCode(), actor.schoolId());
  }

  private static SearchQuery.Sort sort(String s) {
    if (s == null || s.isBlank()) {
      return SearchQuery.Sort.RELEVANCE;
    }
    try {
      return SearchQuery.Sort.valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw KelianException.invalid("unknown_sort", "未知排序：" + s + "（可选 relevance、newest、most_viewed）",
          "Unknown sort: " + s + " (one of relevance, newest, most_viewed)");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
