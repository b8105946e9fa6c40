package org.kelian.search;

import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.json.JsonpDeserializer;
import co.elastic.clients.json.JsonpDeserializerBase;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.transport.endpoints.SimpleEndpoint;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kelian.core.search.SearchResult;

/**
 * What a search needs from Elasticsearch's answer — the total, each hit's doc values ({@link ResourceQueries#HIT_FIELDS})
 * and the facet counts — read in one pass over the answer as it streams in. The client's {@code SearchResponse}
 * builds an object for everything in the answer and keeps each hit's doc values as buffered JSON that is parsed a
 * second time (together about a quarter of the platform's CPU samples on the search benchmark, request cache on).
 * The request, its parameters, the transport and the error answers stay the client's: only the reading differs.
 */
record SearchAnswer(long total, List<SearchAnswer.Hit> hits, Map<String, List<SearchResult.FacetValue>> facets) {

  /** One hit's doc values. */
  record Hit(String id, String title, String type, List<String> paths, boolean captioned) {
  }

  /** The client's search endpoint (URL, parameters, body, errors) with this reader for the answer. */
  static final SimpleEndpoint<SearchRequest, SearchAnswer> ENDPOINT = SearchRequest._ENDPOINT.withResponseDeserializer(reader());

  private static JsonpDeserializer<SearchAnswer> reader() {
    return new JsonpDeserializerBase<>(EnumSet.of(Event.START_OBJECT)) {
      @Override
      public SearchAnswer deserialize(JsonParser p, JsonpMapper mapper, Event event) {
        long[] total = {-1};
        List<Hit> hits = new ArrayList<>();
        Map<String, List<SearchResult.FacetValue>> facets = new HashMap<>();
        fields(p, (key, value) -> {
          switch (key) {
            case "hits" -> readHits(p, value, total, hits);
            case "aggregations" -> readAggregations(p, value, facets);
            default -> JsonpUtils.skipValue(p, value);
          }
        });
        return new SearchAnswer(total[0] < 0 ? hits.size() : total[0], hits, facets);
      }
    };
  }

  /** Calls {@code field} for each field of the object just opened, with the event that starts its value. */
  private static void fields(JsonParser p, java.util.function.BiConsumer<String, Event> field) {
    for (Event e = p.next(); e != Event.END_OBJECT; e = p.next()) {
      String key = p.getString();
      field.accept(key, p.next());
    }
  }

  private static boolean skipUnless(JsonParser p, Event value, Event expected) {
    if (value != expected) {
      JsonpUtils.skipValue(p, value);
      return true;
    }
    return false;
  }

  private static void readHits(JsonParser p, Event value, long[] total, List<Hit> hits) {
    if (skipUnless(p, value, Event.START_OBJECT)) {
      return;
    }
    fields(p, (key, v) -> {
      if (key.equals("total") && v == Event.START_OBJECT) {
        fields(p, (k, tv) -> {
          if (k.equals("value") && tv == Event.VALUE_NUMBER) {
            total[0] = p.getLong();
          } else {
            JsonpUtils.skipValue(p, tv);
          }
        });
      } else if (key.equals("hits") && v == Event.START_ARRAY) {
        for (Event e = p.next(); e != Event.END_ARRAY; e = p.next()) {
          if (!skipUnless(p, e, Event.START_OBJECT)) {
            hits.add(readHit(p));
          }
        }
      } else {
        JsonpUtils.skipValue(p, v);
      }
    });
  }

  private static Hit readHit(JsonParser p) {
    Map<String, List<String>> values = new HashMap<>();
    fields(p, (key, v) -> {
      if (key.equals("fields") && v == Event.START_OBJECT) {
        fields(p, (field, fv) -> {
          if (!skipUnless(p, fv, Event.START_ARRAY)) {
            values.put(field, scalars(p));
          }
        });
      } else {
        JsonpUtils.skipValue(p, v);
      }
    });
    List<String> id = values.getOrDefault("id", List.of());
    List<String> title = values.getOrDefault("title.raw", List.of());
    List<String> type = values.getOrDefault("type", List.of());
    return new Hit(id.isEmpty() ? null : id.get(0), title.isEmpty() ? "" : title.get(0), type.isEmpty() ? null : type.get(0),
        values.getOrDefault("hitPaths", List.of()), values.getOrDefault("captioned", List.of()).contains("true"));
  }

  /** The values of an array just opened, as text (true/false for booleans); nested structures are skipped. */
  private static List<String> scalars(JsonParser p) {
    List<String> out = new ArrayList<>(2);
    for (Event e = p.next(); e != Event.END_ARRAY; e = p.next()) {
      switch (e) {
        case VALUE_STRING, VALUE_NUMBER -> out.add(p.getString());
        case VALUE_TRUE -> out.add("true");
        case VALUE_FALSE -> out.add("false");
        default -> JsonpUtils.skipValue(p, e);
      }
    }
    return out;
  }

  /**
   * The facet tree of {@link ResourceQueries#facetAggregations}: counts ({@code c_<facet>}) at some level, filter
   * levels ({@code f_<facet>}) holding more. Names may carry the client's type prefix ({@code sterms#c_type}).
   */
  private static void readAggregations(JsonParser p, Event value, Map<String, List<SearchResult.FacetValue>> facets) {
    if (skipUnless(p, value, Event.START_OBJECT)) {
      return;
    }
    fields(p, (key, v) -> {
      String name = key.substring(key.indexOf('#') + 1);
      if (v == Event.START_OBJECT && name.startsWith(ResourceQueries.COUNT_AGG)) {
        facets.put(name.substring(ResourceQueries.COUNT_AGG.length()), readBuckets(p));
      } else if (v == Event.START_OBJECT && name.startsWith(ResourceQueries.FILTER_AGG)) {
        readAggregations(p, v, facets);
      } else {
        JsonpUtils.skipValue(p, v);
      }
    });
  }

  private static List<SearchResult.FacetValue> readBuckets(JsonParser p) {
    List<SearchResult.FacetValue> out = new ArrayList<>();
    fields(p, (key, v) -> {
      if (key.equals("buckets") && v == Event.START_ARRAY) {
        for (Event e = p.next(); e != Event.END_ARRAY; e = p.next()) {
          if (skipUnless(p, e, Event.START_OBJECT)) {
            continue;
          }
          String[] bucketKey = {null};
          long[] count = {0};
          fields(p, (k, bv) -> {
            if (k.equals("key") && (bv == Event.VALUE_STRING || bv == Event.VALUE_NUMBER)) {
              bucketKey[0] = p.getString();
            } else if (k.equals("doc_count") && bv == Event.VALUE_NUMBER) {
              count[0] = p.getLong();
            } else {
              JsonpUtils.skipValue(p, bv);
            }
          });
          if (bucketKey[0] != null) {
            out.add(new SearchResult.FacetValue(bucketKey[0], count[0]));
          }
        }
      } else {
        JsonpUtils.skipValue(p, v);
      }
    });
    return out;
  }
}
