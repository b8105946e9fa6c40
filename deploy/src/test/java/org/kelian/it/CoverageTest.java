package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/** Coverage counts the lessons (or unit leaves) of each volume that have published resources, per type. */
class CoverageTest {

  static Platform platform;
  static Api admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("coverage");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    Api teacher = Library.user(admin, platform.port(), "cov.teacher", "teacher", "371321");
    String[] volume = {"小学", "数学", "人教版", "三年级", "上册"};
    Library.published(teacher, admin, "时分秒 课件", "courseware", Library.node(admin, append(volume, "1 时、分、秒")), "a.pdf", Library.pdf("a"));
    Library.published(teacher, admin, "测量 练习", "exercise", Library.node(admin, append(volume, "3 测量")), "b.pdf", Library.pdf("b"));
    // A draft does not count.
    Library.draft(teacher, "倍的认识 草稿", "courseware", Library.node(admin, append(volume, "5 倍的认识")));
    // A resource on a poem (a section) counts for its lesson.
    String poem = Library.node(admin, "小学", "语文", "统编版", "二年级", "上册", "第四单元·阅读", "7 古诗二首", "登鹳雀楼");
    Library.published(teacher, admin, "登鹳雀楼 朗读", "material", poem, "c.pdf", Library.pdf("c"));
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static String[] append(String[] a, String s) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = s;
    return out;
  }

  @Test
  void unitLeavesOfAVolumeAreCounted() {
    JsonObject r = admin.get("/api/v1/reports/coverage?stage=小学&subject=数学&edition=人教版&grade=三年级&volume=上册").json();
    JsonArray volumes = r.getJsonArray("volumes");
    assertEquals(1, volumes.size());
    JsonObject v = volumes.getJsonObject(0);
    assertEquals("小学 / 数学 / 人教版 / 三年级 / 上册", v.getString("path"));
    assertEquals(11, v.getInteger("lessons"), "the book lists 11 units and no lessons: units are the leaves");
    assertEquals(2, v.getInteger("covered"));
    assertEquals(18.2, v.getDouble("percent"));
    JsonObject unit = v.getJsonArray("units").getJsonObject(4);
    assertEquals("5 倍的认识", unit.getString("title"));
    assertEquals(0, unit.getInteger("covered"), "drafts do not count");
    assertEquals("5 倍的认识", unit.getJsonArray("missing").getJsonObject(0).getString("title"));
  }

  @Test
  void typeFilterAndSections() {
    JsonObject onlyExercises = admin.get("/api/v1/reports/coverage?stage=小学&subject=数学&grade=三年级&type=exercise").json();
    assertEquals(1, onlyExercises.getJsonArray("volumes").getJsonObject(0).getInteger("covered"));
    JsonObject chinese = admin.get("/api/v1/reports/coverage?stage=小学&subject=语文&grade=二年级&volume=上册").json();
    JsonObject v = chinese.getJsonArray("volumes").getJsonObject(0);
    assertEquals(1, v.getInteger("covered"), "the poem's resource covers lesson 7 古诗二首");
    assertTrue(v.getInteger("lessons") > 20);
    assertEquals(400, admin.get("/api/v1/reports/coverage?type=movie").status());
  }

  @Test
  void csvForSpreadsheets() {
    Api.Response csv = admin.get("/api/v1/reports/coverage?stage=小学&subject=数学&grade=三年级&format=csv");
    assertEquals(200, csv.status());
    assertTrue(csv.header("Content-Type").startsWith("text/csv"));
    assertTrue(csv.body().startsWith("\uFEFF册,单元"), csv.body().substring(0, 20));
    assertTrue(csv.body().contains("\"5 倍的认识\""));
    assertEquals(12, csv.body().split("\r\n").length, "header and one row per unit");
  }
}
