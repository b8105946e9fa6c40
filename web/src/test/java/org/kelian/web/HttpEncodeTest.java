package org.kelian.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Answers written by the streaming encoder read back as what Vert.x's default codec writes. (Not byte for byte:
 * Jackson's UTF-8 generator writes characters beyond the BMP, such as emoji, as \\u escapes of their surrogate pairs,
 * which is the same JSON.) Chinese text stays as UTF-8, unescaped.
 */
class HttpEncodeTest {

  @Test
  void sameBytesAsTheDefaultCodec() {
    JsonObject answer = new JsonObject()
        .put("total", 3L)
        .put("hits", new JsonArray().add(new JsonObject().put("title", "分数的初步认识 <em>课件</em> \"引号\" \\ \n")
            .put("score", 1.5).put("featured", true).put("moment", (Object) null)))
        .put("facets", new JsonObject().put("grade", new JsonArray().add(new JsonObject().put("value", "三年级").put("count", 2))))
        .put("at", Instant.parse("2026-11-30T03:00:00Z"))
        .put("map", Map.of("k", List.of(1, 2)))
        .put("emoji", "课联 👩‍🏫");
    String written = Http.encode(answer).toString(StandardCharsets.UTF_8);
    assertEquals(new JsonObject(Json.CODEC.toString(answer, false)), new JsonObject(written));
    assertEquals("课联 👩‍🏫", new JsonObject(written).getString("emoji"));
    assertTrue(written.contains("\"title\":\"分数的初步认识 <em>课件</em>"), written);
    JsonArray list = new JsonArray().add("一").add(2).add(new JsonObject());
    assertEquals(Json.CODEC.toString(list, false), Http.encode(list).toString(StandardCharsets.UTF_8));
  }

  @Test
  void valuesOnlyDatabindKnowsStillEncode() {
    UUID id = UUID.fromString("6f1c2f36-0d7e-4c3a-9a55-6c1f5e0b2a11");
    JsonObject answer = new JsonObject().put("id", id).put("title", "教学课件");
    assertEquals(Json.CODEC.toString(answer, false), Http.encode(answer).toString(StandardCharsets.UTF_8));
    assertEquals(id.toString(), new JsonObject(Http.encode(answer)).getString("id"));
  }
}
