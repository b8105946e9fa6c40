package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/** Resources and their curation, end to end over HTTP against the real servers. */
class ResourceTest {

  static Platform platform;
  static Api admin;
  static Api teacher;
  static Api colleague;
  static Api schoolAdmin;
  static Api otherSchoolAdmin;
  static String lesson;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("resources");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    UUID school = school("县一中"), other = school("县二中");
    teacher = user("res.teacher", "teacher", school);
    colleague = user("res.colleague", "rural_teacher", other);
    schoolAdmin = user("res.schooladmin", "school_admin", school);
    otherSchoolAdmin = user("res.otheradmin", "school_admin", other);
    lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "8 分数的初步认识");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static UUID school(String name) {
    Api.Response r = admin.post("/api/v1/schools", new JsonObject().put("name", name).put("kind", "urban").put("regionCode", "371321"));
    assertEquals(201, r.status(), r.body());
    return UUID.fromString(r.json().getString("id"));
  }

  static Api user(String name, String role, UUID school) {
    JsonObject body = new JsonObject().put("username", name).put("password", "password-" + name)
        .put("roles", new JsonArray().add(role)).put("schoolId", school.toString()).put("regionCode", "371321");
    assertEquals(201, admin.post("/api/v1/users", body).status());
    return Api.login(platform.port(), name, "password-" + name);
  }

  @Test
  void fullCurationFlow() throws Exception {
    Api.Response created = teacher.post("/api/v1/resources", new JsonObject().put("title", "分数的初步认识 教学课件").put("type", "courseware")
        .put("catalogNodeIds", new JsonArray().add(lesson)).put("tags", new JsonArray().add("分数").add("三年级")).put("scope", "county"));
    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    assertEquals("/api/v1/resources/" + id, created.header("Location"));
    assertEquals("draft", created.json().getString("status"));
    assertEquals("小学 / 数学 / 人教版 / 三年级 / 上册 / 8 分数的初步认识",
        created.json().getJsonArray("catalogNodes").getJsonObject(0).getString("path"));

    assertEquals(404, colleague.get("/api/v1/resources/" + id).status(), "a draft is private to its author and reviewers");
    Api.Response early = teacher.post("/api/v1/resources/" + id + "/submit", null);
    assertEquals(409, early.status());
    assertEquals("file_missing", early.errorCode());

    byte[] pdf = Library.pdf("分数");
    assertEquals(204, new Tus(teacher).upload(UUID.fromString(id), "分数的初步认识.pdf", pdf).status());
    JsonObject withFile = teacher.get("/api/v1/resources/" + id).json();
    assertEquals("application/pdf", withFile.getJsonObject("file").getString("contentType"));
    assertEquals(pdf.length, withFile.getJsonObject("file").getLong("size"));
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)),
        withFile.getJsonObject("file").getString("sha256"));

    assertEquals("submitted", teacher.post("/api/v1/resources/" + id + "/submit", null).json().getString("status"));
    assertEquals(403, teacher.post("/api/v1/resources/" + id + "/approve", null).status(), "authors do not approve themselves");
    assertEquals(404, otherSchoolAdmin.post("/api/v1/resources/" + id + "/approve", null).status(), "another school's admin does not see it");
    JsonArray queue = schoolAdmin.get("/api/v1/resources?status=submitted").json().getJsonArray("items");
    assertTrue(queue.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(id)), "in the school's review queue");

    Api.Response noReason = schoolAdmin.post("/api/v1/resources/" + id + "/reject", new JsonObject());
    assertEquals(400, noReason.status());
    JsonObject rejected = schoolAdmin.post("/api/v1/resources/" + id + "/reject", new JsonObject().put("reason", "请补充教学目标")).json();
    assertEquals("rejected", rejected.getString("status"));
    assertEquals("请补充教学目标", rejected.getJsonArray("transitions").getJsonObject(2).getString("reason"));

    assertEquals("submitted", teacher.post("/api/v1/resources/" + id + "/submit", null).json().getString("status"));
    JsonObject published = schoolAdmin.post("/api/v1/resources/" + id + "/approve", null).json();
    assertEquals("published", published.getString("status"));
    assertTrue(published.getString("publishedAt") != null);
    JsonArray history = published.getJsonArray("transitions");
    assertEquals(5, history.size());
    assertEquals("draft", history.getJsonObject(0).getString("to"));
    assertEquals("res.schooladmin", history.getJsonObject(4).getString("actor"));

    Api.Response seen = colleague.get("/api/v1/resources/" + id);
    assertEquals(200, seen.status(), "published within the county: visible");
    assertEquals(1, teacher.get("/api/v1/resources/" + id).json().getLong("viewCount"));
    assertEquals(409, schoolAdmin.post("/api/v1/resources/" + id + "/approve", null).status());
  }

  @Test
  void fileIsServedWithRangeAndASafeChineseName() throws Exception {
    UUID id = Library.draft(teacher, "素材", "material", lesson);
    byte[] bytes = Library.pdf("range test ".repeat(50));
    assertEquals(204, new Tus(teacher).upload(id, "../../etc/第八单元 素材.pdf", bytes).status());
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port()
        + "/api/v1/resources/" + id + "/file")).header("Authorization", "Bearer " + token(teacher)).header("Range", "bytes=10-19").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(206, part.statusCode());
    assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 10, 20), part.body());
    assertEquals("application/pdf", part.headers().firstValue("Content-Type").orElse(""));
    String disposition = part.headers().firstValue("Content-Disposition").orElse("");
    assertTrue(disposition.startsWith("inline;"), disposition);
    assertTrue(disposition.contains("filename*=UTF-8''%E7%AC%AC%E5%85%AB%E5%8D%95%E5%85%83%20%E7%B4%A0%E6%9D%90.pdf"), disposition);
    assertTrue(!disposition.contains("etc") && !disposition.contains(".."), disposition);

    HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port()
        + "/api/v1/resources/" + id + "/file?download=1")).header("Authorization", "Bearer " + token(teacher)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, whole.statusCode());
    assertArrayEquals(bytes, whole.body());
    assertTrue(whole.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
    assertEquals(1, teacher.get("/api/v1/resources/" + id).json().getLong("downloadCount"), "the ranged preview is not a download");
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port() + "/api/v1/resources/" + id + "/file"))
        .header("Authorization", "Bearer " + token(teacher)).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(1, teacher.get("/api/v1/resources/" + id).json().getLong("downloadCount"), "nor is an inline view");
  }

  @Test
  void badInputIsNamed() {
    JsonObject ok = new JsonObject().put("title", "t").put("type", "video").put("catalogNodeIds", new JsonArray().add(lesson));
    assertEquals("unknown_type", teacher.post("/api/v1/resources", ok.copy().put("type", "movie")).errorCode());
    assertEquals("unknown_scope", teacher.post("/api/v1/resources", ok.copy().put("scope", "planet")).errorCode());
    assertEquals("catalog_node_required", teacher.post("/api/v1/resources", ok.copy().put("catalogNodeIds", new JsonArray())).errorCode());
    Api.Response unknown = teacher.post("/api/v1/resources", ok.copy().put("catalogNodeIds", new JsonArray().add(UUID.randomUUID().toString())));
    assertEquals(400, unknown.status());
    assertEquals("unknown_catalog_node", unknown.errorCode());
    assertEquals("invalid_id", teacher.post("/api/v1/resources", ok.copy().put("catalogNodeIds", new JsonArray().add("x"))).errorCode());
    assertEquals("field_required", teacher.post("/api/v1/resources", ok.copy().put("title", " ")).errorCode());
    assertEquals("field_too_long", teacher.post("/api/v1/resources", ok.copy().put("title", "长".repeat(201))).errorCode());
    assertEquals("field_type", teacher.post("/api/v1/resources", ok.copy().put("tags", "notalist")).errorCode());
    assertEquals(400, teacher.get("/api/v1/resources/not-a-uuid").status());
    assertEquals(404, teacher.get("/api/v1/resources/" + UUID.randomUUID()).status());
    assertEquals("list_needs_filter", teacher.get("/api/v1/resources").errorCode());
  }

  @Test
  void htmlInTitlesIsStoredAsText() {
    String title = "<script>alert('x')</script>分数";
    UUID id = Library.draft(teacher, title, "exercise", lesson);
    JsonObject r = teacher.get("/api/v1/resources/" + id).json();
    assertEquals(title, r.getString("title"));
    assertTrue(teacher.get("/api/v1/resources/" + id).header("Content-Type").startsWith("application/json"));
  }

  @Test
  void myResourcesListsDraftsFirstPage() {
    Library.draft(teacher, "我的草稿", "lesson_design", lesson);
    JsonObject page = teacher.get("/api/v1/resources?mine=true&status=draft&size=50").json();
    assertTrue(page.getLong("total") >= 1);
    assertTrue(page.getJsonArray("items").stream().allMatch(o -> "draft".equals(((JsonObject) o).getString("status"))));
  }

  @Test
  void editsOfADraftAreGuardedByItsEtag() {
    UUID id = Library.draft(teacher, "长方形 练习（初稿）", "exercise", lesson);
    Api.Response read = teacher.get("/api/v1/resources/" + id);
    String etag = read.header("ETag");
    String other = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
    Api.Response edited = teacher.request("PATCH", "/api/v1/resources/" + id, new JsonObject().put("title", "长方形 练习")
        .put("catalogNodeIds", new JsonArray().add(other)).put("tags", new JsonArray().add("周长")).encode()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/json", "If-Match", etag);
    assertEquals(200, edited.status(), edited.body());
    assertEquals("长方形 练习", edited.json().getString("title"));
    assertTrue(edited.json().getJsonArray("catalogNodes").getJsonObject(0).getString("path").endsWith("7 长方形和正方形"));
    assertTrue(!etag.equals(edited.header("ETag")));

    Api.Response stale = teacher.request("PATCH", "/api/v1/resources/" + id, new JsonObject().put("title", "旧版本的修改").encode()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/json", "If-Match", etag);
    assertEquals(412, stale.status());
    assertEquals("version_mismatch", stale.errorCode());
    assertEquals("长方形 练习", teacher.get("/api/v1/resources/" + id).json().getString("title"), "the stale edit changed nothing");

    Api.Response typeChange = teacher.request("PATCH", "/api/v1/resources/" + id, new JsonObject().put("type", "video").encode()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8), "Content-Type", "application/json");
    assertEquals(400, typeChange.status());
    assertEquals(404, colleague.request("PATCH", "/api/v1/resources/" + id, "{}".getBytes(), "Content-Type", "application/json").status(),
        "someone else's draft is not even visible");
  }

  static String token(Api api) {
    return Api.loginToken(platform.port(), "res.teacher", "password-res.teacher");
  }
}
