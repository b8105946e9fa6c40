package org.kelian.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.query_dsl.FieldAndFormat;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.query_dsl.TextQueryType;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kelian.core.search.SearchQuery;

/**
 * Builds the searches. Typed text is cut into terms (whitespace, punctuation and the boundary between Han and other
 * characters separate them); every term must match (AND), each in any field. Only match, phrase, term and prefix
 * queries built with the client's builders are used, so no input is ever parsed as query syntax.
 */
final class ResourceQueries {

  /** Facet name in {@code SearchResult.facets} → keyword field it counts. */
  static final Map<String, String> FACETS = facets();

  /** Elasticsearch's default {@code index.max_result_window}: deeper pages are answered empty. */
  static final int MAX_WINDOW = 10_000;

  /** Generous for a search box, small enough that no input can blow up the clause count. */
  static final int MAX_TERMS = 8;
  static final int MAX_TERM_LENGTH = 32;
  static final int MAX_SUGGEST_PREFIX = 64;

  // Boosts. Exact matches of a whole leaf (lesson/unit) title are constant and high: typing a lesson's title must
  // put that lesson's resources first, however they are titled; BM25 of a phrase stays well below it.
  private static final float LEAF_EXACT = 50f;
  private static final float TITLE_EXACT = 10f;
  private static final float LEAF_PHRASE = 4f;
  private static final float TITLE = 3f;
  private static final float TAGS = 2f;
  private static final float PATH = 1.5f;
  private static final float KEY_PREFIX_TITLE = 2f;
  private static final float KEY_PREFIX_OUTLINE = 1f;

  private static final Pattern TERM = Pattern.compile("\\p{IsHan}+|[\\p{L}\\p{N}&&[^\\p{IsHan}]]+");
  private static final Pattern LETTERS_DIGITS = Pattern.compile("[a-z0-9]+");

  /**
   * What a hit shows, read from doc values: a hit then costs Elasticsearch no stored-fields block to decompress
   * (~0.5 ms of a ~4 ms query with 20 hits). Not even {@code _id} is fetched; {@code id} has doc values too.
   * {@code captioned} tells which hits have captions to find a moment in.
   */
  static final List<String> HIT_FIELDS = List.of("id", "title.raw", "type", "hitPaths", "captioned");

  /** Aggregation names in the facet tree (see {@link #facetAggregations}): a filter level, or a facet's counts. */
  static final String FILTER_AGG = "f_";
  static final String COUNT_AGG = "c_";

  private ResourceQueries() {
  }

  private static Map<String, String> facets() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("stage", "stages");
    m.put("subject", "subjects");
    m.put("edition", "editions");
    m.put("grade", "grades");
    m.put("type", "type");
    return java.util.Collections.unmodifiableMap(m);
  }

  static List<String> terms(String text) {
    if (text == null) {
      return List.of();
    }
    Set<String> terms = new LinkedHashSet<>();
    Matcher m = TERM.matcher(text);
    while (m.find() && terms.size() < MAX_TERMS) {
      String t = m.group();
      terms.add(t.codePointCount(0, t.length()) <= MAX_TERM_LENGTH ? t : t.substring(0, t.offsetByCodePoints(0, MAX_TERM_LENGTH)));
    }
    return List.copyOf(terms);
  }

  /** {@code requestCache}: whether Elasticsearch may answer from, and keep the answer in, its shard request cache. */
  static SearchRequest search(String index, SearchQuery q, boolean requestCache) {
    List<String> terms = terms(q.text());
    Query text = terms.isEmpty() ? Query.of(b -> b.matchAll(m -> m))
        : Query.of(b -> b.bool(bool -> bool.must(terms.stream().map(ResourceQueries::typedTerm).toList())));
    // Scope and catalog node narrow what the facets count; the facet filters themselves go to post_filter so that each facet still
    // shows the counts of its other values (choosing 三年级 keeps 四年级 selectable).
    List<Query> filters = new ArrayList<>(visibility(q.visibility()));
    if (q.scope() != null) {
      filters.add(term("scope", q.scope()));
    }
    if (q.node() != null) {
      filters.add(term("catalogNodeIds", q.node().toString()));
    }
    Map<String, Query> facetFilters = facetFilters(q);
    int from = Math.max(0, q.from());
    int size = Math.max(0, Math.min(q.size(), MAX_WINDOW - from));
    return SearchRequest.of(r -> r
        .index(index)
        .requestCache(requestCache)
        .from(from < MAX_WINDOW ? from : 0)
        .size(from < MAX_WINDOW ? size : 0)
        .trackTotalHits(t -> t.enabled(true))
        .query(b -> b.bool(bool -> bool.must(text).filter(filters)))
        .postFilter(b -> b.bool(bool -> bool.filter(List.copyOf(facetFilters.values()))))
        .aggregations(facetAggregations(facetFilters))
        .sort(sort(q.sort()))
        // No highlight section: marks are computed in Java (Highlights), at a fraction of the cost.
        .source(s -> s.fetch(false))
        .storedFields("_none_")
        .docvalueFields(HIT_FIELDS.stream().map(f -> FieldAndFormat.of(ff -> ff.field(f))).toList()));
  }

  /** One typed term: any of these ways of matching will do. */
  static Query typedTerm(String term) {
    String key = IndexedResource.key(term);
    List<Query> any = new ArrayList<>();
    any.add(Query.of(b -> b.multiMatch(m -> m.query(term).operator(Operator.And).type(TextQueryType.BestFields)
        .fields("title^" + TITLE, "tags^" + TAGS, "path^" + PATH, "description", "captions"))));
    any.add(phrase("leaf", term, LEAF_PHRASE));
    any.add(constant(term("leafKeys", key), LEAF_EXACT));
    any.add(constant(term("titleKeys", key), TITLE_EXACT));
    if (LETTERS_DIGITS.matcher(key).matches()) {
      // Joined pinyin and initials: "fenshu…" and "fsd…" are prefixes of the keys of 分数的初步认识.
      any.add(constant(Query.of(b -> b.prefix(p -> p.field("titleKeys").value(key))), KEY_PREFIX_TITLE));
      any.add(constant(Query.of(b -> b.prefix(p -> p.field("outlineKeys").value(key))), KEY_PREFIX_OUTLINE));
      Pinyin.segment(key).ifPresent(syllables -> {
        any.add(phrase("titlePinyin", syllables, TITLE));
        any.add(phrase("outlinePinyin", syllables, PATH));
        any.add(phrase("leafPinyin", syllables, LEAF_PHRASE));
      });
    }
    return Query.of(b -> b.bool(bool -> bool.should(any).minimumShouldMatch("1")));
  }

  static SearchRequest suggest(String index, String prefix, List<String> visibility, int size) {
    Set<String> keys = suggestKeys(prefix);
    String include = keys.stream().map(k -> regexLiteral(k) + ".*").collect(Collectors.joining("|"));
    List<Query> startsWith = keys.stream()
        .map(k -> Query.of(b -> b.prefix(p -> p.field("suggest").value(k)))).toList();
    return SearchRequest.of(r -> r
        .index(index)
        .size(0)
        .query(b -> b.bool(bool -> bool.filter(visibility(visibility))
            .filter(f -> f.bool(any -> any.should(startsWith).minimumShouldMatch("1")))))
        // Each bucket is one (key, kind, text) that starts with the prefix; its count is how many visible
        // resources carry it, which ranks the completions. Several keys of one text are merged by the caller.
        .aggregations("names", a -> a.terms(t -> t.field("suggest").include(i -> i.regexp(include))
            .size(Math.max(size * 4, 20)))));
  }

  /** What a prefix is compared with: as typed (lower-cased), and without spaces when it is pinyin ("fen shu"). */
  static Set<String> suggestKeys(String prefix) {
    Set<String> keys = new LinkedHashSet<>();
    String typed = prefix.replaceAll("\\p{Cntrl}", "");
    if (typed.codePointCount(0, typed.length()) > MAX_SUGGEST_PREFIX) { // keeps the include regex far below index.max_regex_length
      typed = typed.substring(0, typed.offsetByCodePoints(0, MAX_SUGGEST_PREFIX));
    }
    String key = IndexedResource.key(typed);
    if (!key.isEmpty()) {
      keys.add(key);
      String joined = key.replaceAll("\\s+", "");
      if (LETTERS_DIGITS.matcher(joined).matches()) {
        keys.add(joined);
      }
    }
    return keys;
  }

  private static List<Query> visibility(List<String> keys) {
    // null sees everything; an empty list sees nothing (terms of nothing matches no document).
    return keys == null ? List.of()
        : List.of(Query.of(b -> b.terms(t -> t.field("visibility")
            .terms(v -> v.value(keys.stream().map(FieldValue::of).toList())))));
  }

  private static Map<String, Query> facetFilters(SearchQuery q) {
    Map<String, Query> m = new LinkedHashMap<>();
    putIfSet(m, "stage", q.stage());
    putIfSet(m, "subject", q.subject());
    putIfSet(m, "edition", q.edition());
    putIfSet(m, "grade", q.grade());
    putIfSet(m, "type", q.type());
    return m;
  }

  private static void putIfSet(Map<String, Query> m, String facet, String value) {
    if (value != null) {
      m.put(facet, term(FACETS.get(facet), value));
    }
  }

  /**
   * Each facet counts under every facet filter but its own (choosing 三年级 keeps 四年级 selectable). Rather than one
   * filter aggregation per facet, each testing all the others' filters on every match, the filters are nested: a
   * level {@code f_<facet>} keeps the matches of one more chosen value, and a facet's counts {@code c_<facet>} sit at
   * the level where exactly the other chosen filters apply. The outer levels thin the matches for the inner ones, and
   * no filter is tested twice on the same path: with three facets chosen, the faceted queries of the search benchmark
   * cost Elasticsearch ~6.8 ms instead of ~8.7. With none chosen, the counts are plain terms aggregations.
   */
  static Map<String, Aggregation> facetAggregations(Map<String, Query> facetFilters) {
    return facetLevel(facetFilters, Set.of(), List.copyOf(facetFilters.keySet()));
  }

  private static Map<String, Aggregation> facetLevel(Map<String, Query> chosen, Set<String> applied, List<String> remaining) {
    Map<String, Aggregation> aggs = new LinkedHashMap<>();
    FACETS.forEach((facet, field) -> {
      Set<String> others = new java.util.HashSet<>(chosen.keySet());
      others.remove(facet);
      if (others.equals(applied)) {
        aggs.put(COUNT_AGG + facet, Aggregation.of(a -> a.terms(t -> t.field(field).size(100))));
      }
    });
    for (int i = 0; i < remaining.size(); i++) {
      String facet = remaining.get(i);
      Set<String> next = new java.util.HashSet<>(applied);
      next.add(facet);
      Map<String, Aggregation> inner = facetLevel(chosen, next, remaining.subList(i + 1, remaining.size()));
      if (!inner.isEmpty()) {
        aggs.put(FILTER_AGG + facet, Aggregation.of(a -> a.filter(chosen.get(facet)).aggregations(inner)));
      }
    }
    return aggs;
  }

  private static List<SortOptions> sort(SearchQuery.Sort sort) {
    List<SortOptions> s = new ArrayList<>();
    switch (sort == null ? SearchQuery.Sort.RELEVANCE : sort) {
      case RELEVANCE -> {
        s.add(SortOptions.of(o -> o.score(sc -> sc.order(SortOrder.Desc))));
        s.add(field("publishedAt"));
      }
      case NEWEST -> s.add(field("publishedAt"));
      case MOST_VIEWED -> {
        s.add(field("viewCount"));
        s.add(field("publishedAt"));
      }
    }
    s.add(SortOptions.of(o -> o.field(f -> f.field("id").order(SortOrder.Asc)))); // stable pages
    return s;
  }

  private static SortOptions field(String name) {
    return SortOptions.of(o -> o.field(f -> f.field(name).order(SortOrder.Desc)));
  }

  private static Query term(String field, String value) {
    return Query.of(b -> b.term(t -> t.field(field).value(value)));
  }

  private static Query phrase(String field, String text, float boost) {
    return Query.of(b -> b.matchPhrase(p -> p.field(field).query(text).boost(boost)));
  }

  private static Query constant(Query filter, float boost) {
    return Query.of(b -> b.constantScore(c -> c.filter(filter).boost(boost)));
  }

  /** Quotes a typed prefix for a Lucene regular expression (where even "\s" or "\d" would mean a class). */
  static String regexLiteral(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(cp -> {
      if (!Character.isLetterOrDigit(cp)) {
        out.append('\\');
      }
      out.appendCodePoint(cp);
    });
    return out.toString();
  }
}
