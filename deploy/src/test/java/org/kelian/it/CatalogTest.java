package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

class CatalogTest {

  static Platform platform;
  static Api admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("catalog");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static List<String> titles(JsonArray nodes) {
    return nodes.stream().map(o -> ((JsonObject) o).getString("title")).toList();
  }

  @Test
  void importIsIdempotent() {
    Api.Response again = admin.post("/api/v1/catalog/import", Library.textbooks());
    assertEquals(200, again.status());
    assertEquals(0, again.json().getInteger("created"));
    assertEquals(39, again.json().getInteger("books"));
    assertEquals(again.json().getInteger("nodes"), again.json().getInteger("existing"));
  }

  @Test
  void treeFollowsTheTaxonomyWithTheDatasetTitles() {
    JsonArray roots = admin.get("/api/v1/catalog/nodes").jsonArray();
    assertEquals(List.of("小学", "初中", "高中"), titles(roots));
    JsonObject primary = roots.getJsonObject(0);
    assertEquals("stage", primary.getString("kind"));
    assertTrue(primary.getLong("childCount") > 0);

    String volume = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册");
    JsonArray units = admin.get("/api/v1/catalog/nodes?parentId=" + volume).jsonArray();
    assertEquals("1 时、分、秒", units.getJsonObject(0).getString("title"));
    assertTrue(titles(units).contains("8 分数的初步认识"));
    assertEquals("unit", units.getJsonObject(0).getString("kind"));

    String lesson = Library.node(admin, "小学", "语文", "统编版", "二年级", "上册", "第一单元·阅读", "1 小蝌蚪找妈妈");
    JsonObject node = admin.get("/api/v1/catalog/nodes/" + lesson).json();
    assertEquals("lesson", node.getString("kind"));
    assertEquals("小学 / 语文 / 统编版 / 二年级 / 上册 / 第一单元·阅读 / 1 小蝌蚪找妈妈", node.getString("pathText"));
    assertEquals(7, node.getJsonArray("path").size());
  }

  @Test
  void thirdLevelBecomesSections() {
    String lesson = Library.node(admin, "小学", "语文", "统编版", "二年级", "上册", "第四单元·阅读", "7 古诗二首");
    JsonArray poems = admin.get("/api/v1/catalog/nodes?parentId=" + lesson).jsonArray();
    assertEquals(List.of("登鹳雀楼", "望庐山瀑布"), titles(poems));
    assertEquals("section", poems.getJsonObject(0).getString("kind"));
  }

  @Test
  void renameRewritesPathsBelow() {
    String volume = Library.node(admin, "初中", "数学", "人教版", "七年级", "上册");
    String firstUnit = admin.get("/api/v1/catalog/nodes?parentId=" + volume).jsonArray().getJsonObject(0).getString("id");
    JsonArray lessons = admin.get("/api/v1/catalog/nodes?parentId=" + firstUnit).jsonArray();
    Api.Response renamed = admin.request("PATCH", "/api/v1/catalog/nodes/" + firstUnit,
        new JsonObject().put("title", "第一章 有理数（改）").encode().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "Content-Type", "application/json");
    assertEquals(200, renamed.status(), renamed.body());
    assertEquals("1.1 正数和负数", lessons.getJsonObject(0).getString("title"));
    JsonObject child = admin.get("/api/v1/catalog/nodes/" + lessons.getJsonObject(0).getString("id")).json();
    assertEquals("初中 / 数学 / 人教版 / 七年级 / 上册 / 第一章 有理数（改） / 1.1 正数和负数", child.getString("pathText"));
  }

  @Test
  void addMoveAndDelete() {
    String volume = Library.node(admin, "小学", "数学", "人教版", "一年级", "上册");
    Api.Response unit = admin.post("/api/v1/catalog/nodes", new JsonObject().put("parentId", volume).put("title", "补充单元"));
    assertEquals(201, unit.status(), unit.body());
    assertEquals("unit", unit.json().getString("kind"));
    String unitId = unit.json().getString("id");
    assertEquals("/api/v1/catalog/nodes/" + unitId, unit.header("Location"));
    String lessonId = admin.post("/api/v1/catalog/nodes", new JsonObject().put("parentId", unitId).put("title", "认识人民币"))
        .json().getString("id");

    String otherUnit = Library.node(admin, "小学", "数学", "人教版", "一年级", "上册", "2 位置");
    Api.Response moved = admin.request("PATCH", "/api/v1/catalog/nodes/" + lessonId,
        new JsonObject().put("parentId", otherUnit).encode().getBytes(), "Content-Type", "application/json");
    assertEquals(200, moved.status(), moved.body());
    assertTrue(moved.json().getString("pathText").endsWith("2 位置 / 认识人民币"));

    Api.Response intoVolume = admin.request("PATCH", "/api/v1/catalog/nodes/" + lessonId,
        new JsonObject().put("parentId", volume).encode().getBytes(), "Content-Type", "application/json");
    assertEquals(400, intoVolume.status());
    assertEquals("invalid_move", intoVolume.errorCode());

    Api.Response intoSelf = admin.request("PATCH", "/api/v1/catalog/nodes/" + unitId,
        new JsonObject().put("parentId", unitId).encode().getBytes(), "Content-Type", "application/json");
    assertEquals(400, intoSelf.status());

    assertEquals(204, admin.delete("/api/v1/catalog/nodes/" + unitId).status());
    assertEquals(404, admin.get("/api/v1/catalog/nodes/" + unitId).status());
    assertEquals(200, admin.get("/api/v1/catalog/nodes/" + lessonId).status(), "the moved lesson lives on under its new unit");
  }

  @Test
  void nodeWithResourcesIsNotDeletedSilently() {
    String lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "3 测量");
    Library.draft(admin, "测量 课件", "courseware", lesson);
    Api.Response r = admin.delete("/api/v1/catalog/nodes/" + Library.node(admin, "小学", "数学", "人教版", "三年级", "上册"));
    assertEquals(409, r.status());
    assertEquals("node_has_resources", r.errorCode());
    assertEquals(1, r.json().getJsonObject("error").getJsonObject("details").getInteger("resourceCount"));
    assertEquals(200, admin.get("/api/v1/catalog/nodes/" + lesson).status());
  }

  @Test
  void badInputAndRoles() {
    Api teacher = Library.user(admin, platform.port(), "catalog.teacher", "teacher", null);
    assertEquals(403, teacher.post("/api/v1/catalog/import", Library.textbooks()).status());
    assertEquals(200, teacher.get("/api/v1/catalog/nodes").status(), "everyone browses");
    Api.Response missingGrade = admin.post("/api/v1/catalog/import",
        new JsonArray().add(new JsonObject().put("stage", "小学").put("subject", "音乐").put("edition", "人音版").put("volume", "上册")
            .put("units", new JsonArray())));
    assertEquals(400, missingGrade.status());
    assertEquals("invalid_textbook", missingGrade.errorCode());
    assertEquals(400, admin.post("/api/v1/catalog/import", new JsonObject().put("not", "an array")).status());
    assertEquals(400, admin.get("/api/v1/catalog/nodes?parentId=nope").status());
    assertEquals(404, admin.get("/api/v1/catalog/nodes?parentId=" + java.util.UUID.randomUUID()).status());
    assertEquals(404, admin.get("/api/v1/catalog/nodes/" + java.util.UUID.randomUUID()).status());
  }
}
