package org.kelian.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kelian.core.search.SearchResult;

/** Reading an answer as Elasticsearch writes it (typed keys, nested facet levels, fields the reader skips). */
class SearchAnswerTest {

  private static SearchAnswer read(String json) {
    JacksonJsonpMapper mapper = new JacksonJsonpMapper();
    return SearchAnswer.ENDPOINT.responseDeserializer().deserialize(mapper.jsonProvider().createParser(new StringReader(json)), mapper);
  }

  @Test
  void readsTotalHitsDocValuesAndEveryFacetLevel() {
    SearchAnswer a = read("""
        {"took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
         "hits":{"total":{"value":1234,"relation":"eq"},"max_score":null,"hits":[
           {"_index":"r","_id":"a","_score":51.2,"_ignored":["x"],"fields":{"id":["6f1c0c52-8f4e-4c36-9d0e-0b6f1d3c2a11"],
             "title.raw":["教学课件"],"type":["courseware"],"hitPaths":["小学\\u001f数学","初中\\u001f数学"],"captioned":[false]},
             "sort":[51.2,1700000000000,"6f1c0c52"]},
           {"_index":"r","_id":"b","_score":3.0,"fields":{"id":["0d3c1f7e-2b8a-4c1d-8e9f-1a2b3c4d5e6f"],"title.raw":["周长 微课"],
             "type":["video"],"captioned":[true],"unknown":[{"nested":[1,2]}]}}]},
         "aggregations":{
           "sterms#c_stage":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"小学","doc_count":900},{"key":"初中","doc_count":334}]},
           "filter#f_grade":{"doc_count":77,"meta":{"a":1},
             "sterms#c_subject":{"buckets":[{"key":"数学","doc_count":70,"extra":{"x":1}}]},
             "filter#f_type":{"doc_count":12,"lterms#c_edition":{"buckets":[{"key":2024,"doc_count":12}]}}}}}
        """);
    assertEquals(1234, a.total());
    assertEquals(2, a.hits().size());
    SearchAnswer.Hit first = a.hits().get(0);
    assertEquals("6f1c0c52-8f4e-4c36-9d0e-0b6f1d3c2a11", first.id());
    assertEquals("教学课件", first.title());
    assertEquals("courseware", first.type());
    assertEquals(List.of("小学\u001f数学", "初中\u001f数学"), first.paths());
    assertFalse(first.captioned());
    SearchAnswer.Hit second = a.hits().get(1);
    assertEquals(List.of(), second.paths());
    assertTrue(second.captioned());
    assertEquals(List.of(new SearchResult.FacetValue("小学", 900), new SearchResult.FacetValue("初中", 334)), a.facets().get("stage"));
    assertEquals(List.of(new SearchResult.FacetValue("数学", 70)), a.facets().get("subject"));
    assertEquals(List.of(new SearchResult.FacetValue("2024", 12)), a.facets().get("edition"));
    assertEquals(3, a.facets().size());
  }

  @Test
  void anAnswerWithoutHitsOrAggregationsIsEmpty() {
    SearchAnswer a = read("{\"took\":1,\"hits\":{\"total\":{\"value\":0,\"relation\":\"eq\"},\"hits\":[]}}");
    assertEquals(0, a.total());
    assertTrue(a.hits().isEmpty());
    assertTrue(a.facets().isEmpty());
  }
}
