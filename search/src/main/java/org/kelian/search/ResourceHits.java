package org.kelian.search;

import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.kelian.core.search.SearchResult;
import org.kelian.core.search.Suggestion;

/** Reads search answers back: hits with their best catalog path and safe highlight, facets, completions. */
final class ResourceHits {

  private static final String EM = "<em>";
  private static final String EM_END = "</em>";

  private ResourceHits() {
  }

  /** The part of {@code _source} a hit needs. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Stored(String title, String type, List<List<String>> catalogPaths) {
  }

  static SearchResult result(SearchResponse<Stored> response) {
    List<SearchResult.Hit> hits = response.hits().hits().stream().map(ResourceHits::hit).toList();
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

  static SearchResult.Hit hit(Hit<Stored> h) {
    Stored s = h.source();
    String title = s == null || s.title() == null ? "" : s.title();
    List<List<String>> paths = s == null || s.catalogPaths() == null ? List.of() : s.catalogPaths();
    Map<String, List<String>> hl = h.highlight();

    // Han matches come back as highlighted path elements; pinyin matches as the spellings or keys they matched.
    Map<String, String> highlightedElements = new LinkedHashMap<>();
    for (String fragment : hl.getOrDefault("path", List.of())) {
      highlightedElements.put(fragment.replace(EM, "").replace(EM_END, ""), fragment);
    }
    Set<String> pinyinMatches = new HashSet<>();
    for (String field : List.of("outlinePinyin", "outlineKeys")) {
      hl.getOrDefault(field, List.of()).forEach(f -> pinyinMatches.add(f.replace(EM, "").replace(EM_END, "")));
    }

    List<String> best = paths.isEmpty() ? List.of() : paths.get(0);
    int bestMatches = 0;
    for (List<String> path : paths) {
      int matches = 0;
      for (int level = 0; level < path.size(); level++) {
        if (elementHighlight(path, level, highlightedElements, pinyinMatches) != null) {
          matches++;
        }
      }
      if (matches > bestMatches) {
        best = path;
        bestMatches = matches;
      }
    }

    String highlight;
    if (hl.containsKey("title")) {
      highlight = hl.get("title").get(0);
    } else if (hl.containsKey("titlePinyin") || hl.containsKey("titleKeys")) {
      highlight = EM + Html.escape(title) + EM_END; // matched by pinyin: the whole title is the match
    } else if (bestMatches > 0) {
      List<String> parts = new ArrayList<>();
      for (int level = 0; level < best.size(); level++) {
        String marked = elementHighlight(best, level, highlightedElements, pinyinMatches);
        parts.add(marked != null ? marked : Html.escape(best.get(level)));
      }
      highlight = String.join(" / ", parts);
    } else {
      highlight = Html.escape(title);
    }
    return new SearchResult.Hit(UUID.fromString(h.id()), title, s == null ? null : s.type(),
        String.join(" / ", best), highlight);
  }

  /** The highlighted HTML of one path element, or null when the query did not match it. */
  private static String elementHighlight(List<String> path, int level, Map<String, String> highlightedElements,
      Set<String> pinyinMatches) {
    String element = path.get(level);
    String han = highlightedElements.get(Html.escape(element));
    if (han != null) {
      return han;
    }
    if (level >= IndexedResource.FIRST_OUTLINE_LEVEL && !pinyinMatches.isEmpty()) {
      String bare = IndexedResource.bare(element);
      for (Pinyin.Spelling sp : Pinyin.variants(bare)) {
        if (pinyinMatches.contains(sp.syllables()) || pinyinMatches.contains(sp.joined())
            || pinyinMatches.contains(sp.initials())) {
          return EM + Html.escape(element) + EM_END;
        }
      }
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
