package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;
import org.kelian.search.SearchOptions;

/**
 * Search through the HTTP API on the real Elasticsearch, reached through a TCP proxy so that the test can take
 * search away and bring it back: writes keep working and are indexed when it returns.
 */
// The outage and the rebuild change the index: they run last (unordered tests come first).
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchApiTest {

  static TcpProxy proxy;
  static Platform platform;
  static Api admin;
  static Api teacher;
  static Api elsewhere;
  static UUID fractions;
  static UUID genericCourseware;
  static UUID rectangles;
  static UUID measuring;

  @BeforeAll
  static void start() {
    URI es = URI.create(TestStack.get().endpoints().esUrl());
    proxy = new TcpProxy(es.getHost(), es.getPort());
    platform = TestPlatform.start("searchapi", Map.of(SearchOptions.URLS.env(), "http://127.0.0.1:" + proxy.port()));
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "search.teacher", "teacher", "371321");
    elsewhere = Library.user(admin, platform.port(), "far.teacher", "rural_teacher", "620102");
    String[] v = {"小学", "数学", "人教版", "三年级", "上册"};
    fractions = Library.published(teacher, admin, "分数的初步认识 微课", "video", Library.node(admin, CoverageTest.append(v, "8 分数的初步认识")),
        "f.mp4", UploadTest.mp4Like(4096));
    genericCourseware = Library.published(teacher, admin, "教学课件", "courseware", Library.node(admin, CoverageTest.append(v, "8 分数的初步认识")),
        "k.pdf", Library.pdf("k"));
    rectangles = Library.published(teacher, admin, "长方形和正方形的周长 练习", "exercise",
        Library.node(admin, CoverageTest.append(v, "7 长方形和正方形")), "r.pdf", Library.pdf("r"));
    measuring = Library.published(teacher, admin, "长方形的面积 素材", "material", Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "3 测量"),
        "m.pdf", Library.pdf("m"));
  }

  @AfterAll
  static void stop() {
    platform.close();
    proxy.close();
  }

  static JsonObject search(Api who, String query) {
    Api.Response r = who.get("/api/v1/search?" + query);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static String q(String text) {
    return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  static List<String> ids(JsonObject result) {
    return result.getJsonArray("hits").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  void aPublishedResourceIsFindableAsSoonAsApproveAnswers() {
    JsonObject r = search(teacher, q("分数的初步认识"));
    List<String> top2 = ids(r).subList(0, 2);
    assertTrue(top2.contains(fractions.toString()) && top2.contains(genericCourseware.toString()),
        "the lesson's resources come first, the generic 教学课件 among them: " + r.encode());
    JsonObject hit = r.getJsonArray("hits").getJsonObject(0);
    assertTrue(hit.getString("catalogPath").contains("8 分数的初步认识"));
    assertTrue(hit.getString("highlight").contains("<em>"), hit.encode());
  }

  @Test
  void pinyinAndInitialsFindTheSameResources() {
    List<String> chinese = ids(search(teacher, q("分数的初步认识"))).subList(0, 2);
    assertEquals(chinese.stream().sorted().toList(), ids(search(teacher, q("fenshudechuburenshi"))).subList(0, 2).stream().sorted().toList());
    assertEquals(chinese.stream().sorted().toList(), ids(search(teacher, q("fsdcbrs"))).subList(0, 2).stream().sorted().toList());
    assertTrue(ids(search(teacher, q("fenshu"))).contains(fractions.toString()));
  }

  @Test
  void severalWordsNarrow() {
    List<String> both = ids(search(teacher, q("长方形 周长")));
    assertTrue(both.contains(rectangles.toString()));
    assertEquals(1, both.size(), "only the resource matching both words: " + both);
  }

  @Test
  void facetsAndFilters() {
    JsonObject all = search(teacher, "size=50");
    assertEquals(4, all.getLong("total"));
    JsonArray types = all.getJsonObject("facets").getJsonArray("type");
    assertEquals(4, types.size());
    assertEquals(new JsonObject().put("value", "三年级").put("count", 4), all.getJsonObject("facets").getJsonArray("grade").getJsonObject(0));
    assertEquals(1, search(teacher, "type=exercise").getLong("total"));
    assertEquals(0, search(teacher, "subject=" + URLEncoder.encode("语文", StandardCharsets.UTF_8)).getLong("total"));
    assertEquals(400, teacher.get("/api/v1/search?sort=random").status());
    assertEquals(400, teacher.get("/api/v1/search?type=movie").status());
  }

  @Test
  void scopeLimitsWhoFindsIt() {
    assertEquals(4, search(teacher, "").getLong("total"));
    assertEquals(0, search(elsewhere, "").getLong("total"), "county resources are not visible in another province");
  }

  @Test
  void straySyntaxAndLongQueries() {
    for (String bad : new String[] {"\"", "(", ":", "分数)", "a:b OR (c", "\\", "*?", "[]{}^~", "/", "\u0000"}) {
      Api.Response r = teacher.get("/api/v1/search?" + q(bad));
      assertTrue(r.status() == 200 || r.status() == 400, bad + " -> " + r.status());
    }
    Api.Response tooLong = teacher.get("/api/v1/search?" + q("分".repeat(101)));
    assertEquals(400, tooLong.status());
    assertEquals("query_too_long", tooLong.errorCode());
  }

  @Test
  void suggestionsAsYouType() {
    JsonArray s = teacher.get("/api/v1/search/suggest?" + q("fsd")).json().getJsonArray("suggestions");
    assertTrue(s.stream().anyMatch(o -> ((JsonObject) o).getString("text").contains("分数的初步认识")), s.encode());
    JsonArray zh = teacher.get("/api/v1/search/suggest?" + q("长方")).json().getJsonArray("suggestions");
    assertTrue(zh.stream().anyMatch(o -> ((JsonObject) o).getString("text").startsWith("长方形")), zh.encode());
  }

  static List<String> under(String nodeId) {
    return ids(search(teacher, "size=50&node=" + nodeId));
  }

  @Test
  void aCatalogNodeFindsItsOwnResourcesAndThoseBelowIt() {
    String volume = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册");
    assertEquals(4, under(volume).size());
    assertEquals(4, under(Library.node(admin, "小学")).size());
    assertEquals(List.of(), under(Library.node(admin, "初中")));
    assertEquals(List.of(), under(Library.node(admin, "小学", "数学", "人教版", "一年级", "上册")));
    String unit = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "8 分数的初步认识");
    assertEquals(List.of(fractions.toString(), genericCourseware.toString()).stream().sorted().toList(), under(unit).stream().sorted().toList());
    assertEquals(List.of(fractions.toString()), ids(search(teacher, "type=video&node=" + unit)));
    assertEquals(List.of(), ids(search(elsewhere, "node=" + unit)), "visibility still applies");

    Api.Response notAnId = teacher.get("/api/v1/search?node=8");
    assertEquals(400, notAnId.status(), notAnId.body());
    assertEquals("invalid_id", notAnId.errorCode());
  }

  /** Ancestors are read from catalog_nodes.path_ids when indexing: a moved unit takes its resources along. */
  @Test
  @Order(Integer.MAX_VALUE - 2)
  void aMovedUnitIsFoundUnderItsNewPlace() {
    String unit = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "3 测量");
    String grade3 = Library.node(admin, "小学", "数学", "人教版", "三年级");
    String grade1 = Library.node(admin, "小学", "数学", "人教版", "一年级", "上册");
    assertTrue(under(grade3).contains(measuring.toString()));
    try {
      moveUnder(unit, grade1);
      assertEquals(List.of(measuring.toString()), under(grade1));
      assertFalse(under(grade3).contains(measuring.toString()));
      assertEquals(List.of(measuring.toString()), under(unit));
    } finally {
      moveUnder(unit, Library.node(admin, "小学", "数学", "人教版", "三年级", "上册"));
    }
    assertTrue(under(grade3).contains(measuring.toString()));
  }

  static void moveUnder(String nodeId, String parentId) {
    Api.Response moved = admin.request("PATCH", "/api/v1/catalog/nodes/" + nodeId,
        new JsonObject().put("parentId", parentId).encode().getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertEquals(200, moved.status(), moved.body());
    platform.indexer().flush().await(); // moves re-queue the subtree's resources; the timer would index them within seconds
  }

  @Test
  @Order(Integer.MAX_VALUE - 1)
  void whileSearchIsDownWritesSucceedAndAreIndexedWhenItReturns() {
    proxy.cut();
    try {
      Api.Response down = teacher.get("/api/v1/search?" + q("分数"));
      assertEquals(503, down.status(), down.body());
      assertEquals("search_unavailable", down.errorCode());
      assertEquals(503, new Api(platform.port(), null).get("/health").status());
      UUID id = Library.published(teacher, admin, "倍的认识 导学案", "task_sheet",
          Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "5 倍的认识"), "t.pdf", Library.pdf("t"));
      proxy.restore();
      platform.indexer().flush().await();
      assertTrue(ids(search(teacher, q("倍的认识"))).contains(id.toString()));
    } finally {
      proxy.restore();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void rebuildKeepsEverythingFindable() {
    Api.Response r = admin.post("/api/v1/search/reindex", null);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.json().getLong("indexed") >= 4);
    assertTrue(ids(search(teacher, q("分数的初步认识"))).contains(fractions.toString()));
    assertEquals(403, teacher.post("/api/v1/search/reindex", null).status());
  }
}
