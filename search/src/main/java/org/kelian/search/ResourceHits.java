package org.kelian.search;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kelian.core.search.SearchResult;
import org.kelian.core.search.Suggestion;

/** Reads search answers back: hits with their best catalog path and safe highlight, facets, completions. */
final class ResourceHits {

  private static final String EM = Highlights.EM;
  private static final String EM_END = Highlights.EM_END;

  private ResourceHits() {
  }

  /** The part of {@code _source} a hit needs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Stored(String title, String type, List<List<String>> catalogPaths) {
  }

  static SearchResult result(SearchResponse<Stored> response, String queryText) {
    Highlights marks = Highlights.of(queryText);
    List<SearchResult.Hit> hits = response.hits().hits().stream().map(h -> hit(h, marks)).toList();
    Map<String, List<SearchResult.FacetValue>> facets = new LinkedHashMap<>();
    ResourceQueries.FACETS.keySet().forEach(facet -> facets.put(facet, facet(response.aggregations().get(facet))));
    long total = response.hits().total() == null ? hits.size() : response.hits().total().value();
    return new SearchResult(total, hits, facets);
  }

  private static List<SearchResult.FacetValue> facet(Aggregate agg) {
    if (agg == null) {
      return List.of();
    }
    return agg.filter().aggregations().get("values").sterms().buckets().array().stream()
        .map(b -> new SearchResult.FacetValue(b.key().stringValue(), b.docCount())).toList();
  }

  /** One hit: its title, the catalog path with the most matched elements, and the highlight (see {@link Highlights}). */
  static SearchResult.Hit hit(Hit<Stored> h, Highlights marks) {
    Stored s = h.source();
    String title = s == null || s.title() == null ? "" : s.title();
    List<List<String>> paths = s == null || s.catalogPaths() == null ? List.of() : s.catalogPaths();

    List<String> best = paths.isEmpty() ? List.of() : paths.get(0);
    List<String> bestMarked = null;
    int bestMatches = 0;
    for (List<String> path : paths) {
      List<String> marked = new ArrayList<>(path.size());
      int matches = 0;
      for (int level = 0; level < path.size(); level++) {
        String m = elementHighlight(path, level, marks);
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

    String titleMarked = marks.mark(title);
    String highlight;
    if (titleMarked != null) {
      highlight = titleMarked;
    } else if (marks.keysMatchTitle(title)) {
      highlight = EM + Html.escape(title) + EM_END; // matched by pinyin: the whole title is the match
    } else if (bestMarked != null) {
      highlight = String.join(" / ", bestMarked);
    } else {
      highlight = Html.escape(title);
    }
    return new SearchResult.Hit(UUID.fromString(h.id()), title, s == null ? null : s.type(),
        String.join(" / ", best), highlight, null);
  }

  /** The highlighted HTML of one path element, or null when the query did not match it. */
  private static String elementHighlight(List<String> path, int level, Highlights marks) {
    String element = path.get(level);
    String han = marks.mark(element);
    if (han != null) {
      return han;
    }
    if (level >= IndexedResource.FIRST_OUTLINE_LEVEL && marks.pinyinMatchesName(IndexedResource.bare(element))) {
      return EM + Html.escape(element) + EM_END;
    }
    return null;
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
