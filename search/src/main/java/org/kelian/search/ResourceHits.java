package org.kelian.search;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.kelian.core.search.SearchResult;
import org.kelian.core.search.Suggestion;

/** Reads search answers back: hits with their best catalog path and safe highlight, facets, completions. */
final class ResourceHits {

  private static final String EM = Highlights.EM;
  private static final String EM_END = Highlights.EM_END;

  private ResourceHits() {
  }

  static SearchResult result(SearchAnswer answer, String queryText) {
    Marks marks = Marks.of(queryText);
    List<SearchResult.Hit> hits = answer.hits().stream().map(h -> hit(h, marks)).toList();
    Map<String, List<SearchResult.FacetValue>> facets = new LinkedHashMap<>();
    ResourceQueries.FACETS.keySet().forEach(facet -> facets.put(facet, answer.facets().getOrDefault(facet, List.of())));
    return new SearchResult(answer.total(), hits, facets);
  }

  /** One hit: its title, the catalog path with the most matched elements, and the highlight (see {@link Highlights}). */
  static SearchResult.Hit hit(SearchAnswer.Hit h, Marks marks) {
    String title = h.title();
    List<List<String>> paths = h.paths().stream().map(IndexedResource::splitPath).toList();

    List<String> best = paths.isEmpty() ? List.of() : paths.get(0);
    List<String> bestMarked = null;
    int bestMatches = 0;
    for (List<String> path : paths) {
      List<String> marked = new ArrayList<>(path.size());
      int matches = 0;
      for (int level = 0; level < path.size(); level++) {
        String m = marks.element(path.get(level), level >= IndexedResource.FIRST_OUTLINE_LEVEL);
        if (m != null) {
          matches++;
        }
        marked.add(m != null ? m : Html.escape(path.get(level)));
      }
      if (matches > bestMatches) {
        best = path;
        bestMarked = marked;
        bestMatches = matches;
      }
    }

    String highlight = marks.title(title); // the title's marks, else the best path's, else the plain title
    if (highlight == null) {
      highlight = bestMarked != null ? String.join(" / ", bestMarked) : Html.escape(title);
    }
    return new SearchResult.Hit(UUID.fromString(h.id()), title, h.type(),
        String.join(" / ", best), highlight, h.captioned(), null);
  }

  /**
   * The marks of one query's hits. Hits share much: generic titles ("教学课件"), and the upper levels of their paths
   * (stage to volume), often whole paths; each distinct name is marked once. Marking is a pure function of the
   * typed text and the name, so the marks of recent queries are shared by their answers (never stale: a renamed
   * lesson is a new name) — a query asked again, as the teachers of a grade do in the week they teach a lesson, is
   * marked from memory: the marks were ~17% of the platform's event-loop samples on the search benchmark. Bounded:
   * once {@link #MAX_HELD} names are held over all queries, all are dropped and memory starts afresh.
   */
  static final class Marks {
    static final int MAX_HELD = 50_000;
    private static final ConcurrentHashMap<String, Marks> RECENT = new ConcurrentHashMap<>();
    private static final AtomicInteger HELD = new AtomicInteger();
    private static final String NO_MATCH = new String(); // compared by identity

    private final Highlights highlights;
    private final Map<String, String> titles = new ConcurrentHashMap<>();
    private final Map<String, String> outline = new ConcurrentHashMap<>();
    private final Map<String, String> upper = new ConcurrentHashMap<>();

    private Marks(Highlights highlights) {
      this.highlights = highlights;
    }

    /** The (shared) marks of a typed query. */
    static Marks of(String queryText) {
      String text = queryText == null ? "" : queryText;
      Marks m = RECENT.get(text);
      if (m == null) {
        m = new Marks(Highlights.of(text));
        Marks raced = RECENT.putIfAbsent(text, m);
        if (raced != null) {
          return raced;
        }
        count();
      }
      return m;
    }

    /** How many names and queries are held in all. */
    static int held() {
      return HELD.get();
    }

    private static void count() {
      if (HELD.incrementAndGet() > MAX_HELD) {
        RECENT.clear(); // answers holding a dropped query's marks finish with them
        HELD.set(0);
      }
    }

    private String memo(Map<String, String> memo, String name, java.util.function.Function<String, String> marking) {
      String m = memo.get(name);
      if (m == null) {
        m = marking.apply(name);
        if (memo.putIfAbsent(name, m) == null) {
          count();
        }
      }
      return m == NO_MATCH ? null : m;
    }

    /** A title's highlighted HTML, or null when the query did not match it. */
    String title(String title) {
      return memo(titles, title, t -> {
        String marked = highlights.mark(t);
        if (marked != null) {
          return marked;
        }
        return highlights.keysMatchTitle(t) ? EM + Html.escape(t) + EM_END : NO_MATCH; // pinyin: the whole title matched
      });
    }

    /** A path element's highlighted HTML, or null; units and lessons ({@code outlineLevel}) also match by pinyin. */
    String element(String element, boolean outlineLevel) {
      return memo(outlineLevel ? outline : upper, element, e -> {
        String han = highlights.mark(e);
        if (han != null) {
          return han;
        }
        return outlineLevel && highlights.pinyinMatchesName(IndexedResource.bare(e)) ? EM + Html.escape(e) + EM_END : NO_MATCH;
      });
    }
  }

  /** Merges the buckets of a suggest aggregation: one completion per text, the most common first. */
  static List<Suggestion> suggestions(SearchResponse<Void> response, int size) {
    Map<String, Suggestion> byText = new LinkedHashMap<>();
    for (var bucket : response.aggregations().get("names").sterms().buckets().array()) {
      IndexedResource.SuggestValue.parse(bucket.key().stringValue())
          .ifPresent(v -> byText.putIfAbsent(v.text(), new Suggestion(v.text(), v.kind())));
    }
    return byText.values().stream().limit(size).toList();
  }
}
