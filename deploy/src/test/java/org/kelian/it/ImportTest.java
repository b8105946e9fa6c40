package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.kelian.deploy.Platform;

/**
 * A county's organisation and timetables from CSV files on the real platform: everything arrives, a second import
 * changes nothing, a bad file is refused whole with every bad row named, Excel's encodings are read, school admins
 * import for their own school only, and imported timetables make teachers busy for the conflict check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImportTest {

  static final String SCHOOLS = "name,kind,regionCode\n城关一小,urban,371321\n后村小学,乡村,371321101\n山口教学点,教学点,371321101\n";
  static final String CLASSROOMS = "学校,教室,类型,容量\r\n城关一小,录播室,录播室,50\r\n城关一小,101,ordinary,45\r\n后村小学,互动教室,interactive,30\r\n";
  static final String CLASSES = "school,grade,name,size\n城关一小,三年级,1班,45\n后村小学,三年级,1班,18\n";
  static final String TEACHERS = "用户名,姓名,学校,任教学科,每周课时上限\nwang.music,王老师,城关一小,音乐、美术,6\nzhao.rural,赵老师,后村小学,\"语文;数学\",\n";
  static final String BELLS = "school,period,start,end,weekdays\n城关一小,1,08:00,08:40,\n城关一小,2,08:50,09:30,\n城关一小,3,9:40,10:20,1-5\n"
      + "后村小学,1,08:10,08:50,1-5\n后村小学,2,09:00,09:40,\"1,2,3,4,5\"\n";
  static final String TIMETABLES = "学校,学期,星期,节次,班级,学科,教师,教室\n城关一小,2026秋,3,3,三年级1班,音乐,wang.music,101\n"
      + "后村小学,2026秋,周三,1,三年级1班,语文,zhao.rural,\n";

  static Platform platform;
  static Api admin;
  static String term;
  static Map<String, String> files = Map.of("schools", SCHOOLS, "classrooms", CLASSROOMS, "classes", CLASSES, "teachers", TEACHERS,
      "bell-schedules", BELLS, "timetables", TIMETABLES);
  static List<String> order = List.of("schools", "classrooms", "classes", "teachers", "bell-schedules", "timetables");

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("import");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    // Autumn 2026 with National Day off, and Saturday 10 October running Wednesday's timetable (调休).
    term = OrgTest.create(admin, "/api/v1/terms", new JsonObject().put("name", "2026秋").put("startsOn", "2026-09-01").put("endsOn", "2027-01-15")
        .put("holidays", new JsonArray().add(new JsonObject().put("name", "国庆节").put("from", "2026-10-01").put("to", "2026-10-07")))
        .put("makeUpDays", new JsonArray().add(new JsonObject().put("date", "2026-10-10").put("runsAs", 3))));
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static Api.Response upload(Api api, String kind, byte[] body, String query) {
    return api.request("POST", "/api/v1/imports/" + kind + query, body, "Content-Type", "text/csv");
  }

  static JsonObject imported(Api api, String kind, String csv) {
    Api.Response r = upload(api, kind, csv.getBytes(StandardCharsets.UTF_8), "");
    assertEquals(200, r.status(), kind + ": " + r.body());
    return r.json();
  }

  static String schoolId(String name) {
    JsonArray items = admin.get("/api/v1/schools?size=100").json().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).filter(s -> s.getString("name").equals(name)).findFirst().orElseThrow().getString("id");
  }

  static List<JsonObject> errors(Api.Response r) {
    return r.json().getJsonObject("error").getJsonObject("details").getJsonArray("errors").stream().map(o -> (JsonObject) o).toList();
  }

  @Test
  @Order(1)
  void aCountyArrivesFromCsvAndASecondImportChangesNothing() {
    JsonObject teachers = null;
    for (String kind : order) {
      JsonObject r = imported(admin, kind, files.get(kind));
      assertEquals(0, r.getInteger("updated"), r.encode());
      assertEquals(r.getInteger("rows"), r.getInteger("created"), r.encode());
      assertEquals("UTF-8", r.getString("encoding"));
      if (kind.equals("teachers")) {
        teachers = r;
      }
    }
    String urban = schoolId("城关一小");
    String rural = schoolId("后村小学");
    assertEquals(3, admin.get("/api/v1/schools?region=371321").json().getInteger("total"));
    assertEquals("teaching_site", admin.get("/api/v1/schools/" + schoolId("山口教学点")).json().getString("kind"));
    JsonArray rooms = admin.get("/api/v1/classrooms?schoolId=" + urban).json().getJsonArray("items");
    assertEquals(2, rooms.size());
    assertTrue(rooms.stream().anyMatch(o -> ((JsonObject) o).getString("kind").equals("recording")), rooms.encode());
    assertEquals(18, admin.get("/api/v1/classes?schoolId=" + rural).json().getJsonArray("items").getJsonObject(0).getInteger("size"));
    JsonObject zhao = admin.get("/api/v1/teachers?schoolId=" + rural).json().getJsonArray("items").getJsonObject(0);
    assertEquals("赵老师", zhao.getString("displayName"));
    assertEquals(List.of("语文", "数学"), zhao.getJsonArray("subjects").getList());
    assertEquals(8, zhao.getInteger("maxWeeklyPeriods"), "a blank limit takes the default");
    JsonObject wang = admin.get("/api/v1/teachers?schoolId=" + urban).json().getJsonArray("items").getJsonObject(0);
    assertEquals(List.of("音乐", "美术"), wang.getJsonArray("subjects").getList());
    assertEquals(6, wang.getInteger("maxWeeklyPeriods"));
    JsonArray bells = admin.get("/api/v1/schools/" + urban + "/bell-schedule").json().getJsonArray("periods");
    assertEquals(3, bells.size());
    assertEquals("09:40", bells.getJsonObject(2).getString("start"));

    // New accounts: rural_teacher at a rural school, and a password shown once that works.
    JsonArray accounts = teachers.getJsonArray("accounts");
    assertEquals(2, accounts.size());
    JsonObject zhaoAccount = accounts.stream().map(o -> (JsonObject) o).filter(a -> a.getString("username").equals("zhao.rural")).findFirst()
        .orElseThrow();
    Api zhaoApi = Api.login(platform.port(), "zhao.rural", zhaoAccount.getString("password"));
    assertEquals(List.of("rural_teacher"), zhaoApi.get("/api/v1/auth/me").json().getJsonObject("user").getJsonArray("roles").getList());

    JsonArray lessons = admin.get("/api/v1/timetables?schoolId=" + urban + "&termId=" + term).json().getJsonArray("items");
    assertEquals(1, lessons.size());
    JsonObject music = lessons.getJsonObject(0);
    assertEquals(List.of(3, 3, "09:40", "10:20", "音乐", "三年级1班", "王老师", "101"), List.of(music.getInteger("weekday"), music.getInteger("period"),
        music.getString("starts"), music.getString("ends"), music.getString("subject"), music.getString("className"), music.getString("teacherName"),
        music.getString("classroomName")));
    assertEquals(1, admin.get("/api/v1/timetables?teacherId=" + wang.getString("id")).json().getJsonArray("items").size());

    for (String kind : order) {
      JsonObject again = imported(admin, kind, files.get(kind));
      assertEquals(List.of(0, 0, again.getInteger("rows"), 0), List.of(again.getInteger("created"), again.getInteger("updated"),
          again.getInteger("unchanged"), again.getInteger("removed")), kind + ": " + again.encode());
    }
    Api.login(platform.port(), "zhao.rural", zhaoAccount.getString("password")); // the password is untouched

    // A changed row updates in place; a lesson left out of a school's term is removed.
    JsonObject changed = imported(admin, "timetables", "school,term,weekday,period,grade,className,subject,teacher\n"
        + "城关一小,2026秋,3,3,三年级,1班,美术,wang.music\n");
    assertEquals(List.of(0, 1, 0, 0), List.of(changed.getInteger("created"), changed.getInteger("updated"), changed.getInteger("unchanged"),
        changed.getInteger("removed")), changed.encode());
    assertEquals(music.getString("id"), admin.get("/api/v1/timetables?schoolId=" + urban).json().getJsonArray("items").getJsonObject(0)
        .getString("id"), "updated in place");
    imported(admin, "timetables", TIMETABLES);
  }

  @Test
  @Order(2)
  void aBadFileIsRefusedWholeWithEveryBadRowNamed() {
    String rooms = "school,name,kind,capacity\n后村小学,科学室,ordinary,40\n后村小学,美术室,画室,30\n后村小学,音乐室,ordinary,几十\n";
    Api.Response r = upload(admin, "classrooms", rooms.getBytes(StandardCharsets.UTF_8), "");
    assertEquals(400, r.status(), r.body());
    assertEquals("import_invalid", r.errorCode());
    List<JsonObject> errors = errors(r);
    assertEquals(List.of(3, 4), errors.stream().map(e -> e.getInteger("line")).toList(), r.body());
    assertEquals(List.of("kind", "capacity"), errors.stream().map(e -> e.getString("column")).toList());
    assertTrue(errors.get(0).getString("messageZh").contains("画室"), r.body());
    assertNotNull(errors.get(0).getString("messageEn"));

    String bells = "学校,节次,上课,下课\n后村小学,1,08:10,08:50\n后村小学,2,25:00,09:40\n无名小学,3,10:00,10:40\n";
    Api.Response b = upload(admin, "bell-schedules", bells.getBytes(StandardCharsets.UTF_8), "");
    assertEquals(400, b.status(), b.body());
    assertEquals(List.of(3, 4), errors(b).stream().map(e -> e.getInteger("line")).toList(), b.body());
    assertEquals("上课", errors(b).get(0).getString("column"), "the column as the file names it");

    String rural = schoolId("后村小学");
    assertEquals(1, admin.get("/api/v1/classrooms?schoolId=" + rural).json().getInteger("total"), "nothing written");
    assertEquals(2, admin.get("/api/v1/schools/" + rural + "/bell-schedule").json().getJsonArray("periods").size());

    // An overlap is a problem of the row that causes it.
    Api.Response overlap = upload(admin, "bell-schedules", "学校,节次,上课,下课\n后村小学,1,08:10,08:50\n后村小学,2,08:30,09:00\n"
        .getBytes(StandardCharsets.UTF_8), "");
    assertEquals(400, overlap.status(), overlap.body());
    assertEquals(3, errors(overlap).get(0).getInteger("line"));

    Api.Response unknown = upload(admin, "classrooms", "school,name,kind,capacity,colour\n".getBytes(StandardCharsets.UTF_8), "");
    assertEquals(400, unknown.status());
    assertEquals("colour", errors(unknown).get(0).getString("column"));
    assertEquals(404, upload(admin, "pupils", "a\n".getBytes(StandardCharsets.UTF_8), "").status());
    assertEquals(413, upload(admin, "classes", new byte[5 * 1024 * 1024 + 1], "").status());
  }

  @Test
  @Order(3)
  void excelEncodingsDryRunsAndSchoolAdmins() {
    Api.Response gbk = upload(admin, "classes", "学校,年级,班级,人数\n后村小学,四年级,1班,16\n".getBytes(Charset.forName("GBK")), "");
    assertEquals(200, gbk.status(), gbk.body());
    assertEquals("GB18030", gbk.json().getString("encoding"));
    byte[] bom = ("\uFEFF学校,年级,班级,人数\r\n后村小学,五年级,1班,14\r\n").getBytes(StandardCharsets.UTF_8);
    Api.Response withBom = upload(admin, "classes", bom, "");
    assertEquals(200, withBom.status(), withBom.body());
    assertEquals("UTF-8 (BOM)", withBom.json().getString("encoding"));
    String rural = schoolId("后村小学");
    java.util.Set<String> grades = admin.get("/api/v1/classes?schoolId=" + rural).json().getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("grade")).collect(java.util.stream.Collectors.toSet());
    assertEquals(java.util.Set.of("三年级", "四年级", "五年级"), grades, "the Chinese text arrived intact");

    Api.Response dry = upload(admin, "classes", "school,grade,name,size\n后村小学,六年级,1班,12\n".getBytes(StandardCharsets.UTF_8), "?dryRun=true");
    assertEquals(200, dry.status(), dry.body());
    assertEquals(List.of(true, 1), List.of(dry.json().getBoolean("dryRun"), dry.json().getInteger("created")));
    assertEquals(3, admin.get("/api/v1/classes?schoolId=" + rural).json().getInteger("total"), "a dry run writes nothing");

    assertEquals(201, admin.post("/api/v1/users", new JsonObject().put("username", "head.rural").put("password", "password-head")
        .put("roles", new JsonArray().add("school_admin")).put("schoolId", rural)).status());
    Api head = Api.login(platform.port(), "head.rural", "password-head");
    Api.Response other = upload(head, "classrooms", "school,name,kind,capacity\n后村小学,科学室,ordinary,40\n城关一小,102,ordinary,40\n"
        .getBytes(StandardCharsets.UTF_8), "");
    assertEquals(403, other.status(), other.body());
    assertEquals(3, errors(other).get(0).getInteger("line"));
    assertTrue(other.json().getJsonObject("error").getString("message").contains("第 3 行"), other.body());
    assertEquals(1, admin.get("/api/v1/classrooms?schoolId=" + rural).json().getInteger("total"), "nothing written");
    assertEquals(403, upload(head, "schools", SCHOOLS.getBytes(StandardCharsets.UTF_8), "").status());
    Api.Response own = upload(head, "classrooms", "school,name,kind,capacity\n后村小学,科学室,ordinary,40\n".getBytes(StandardCharsets.UTF_8), "");
    assertEquals(200, own.status(), own.body());
  }

  @Test
  @Order(4)
  void importedTimetablesMakeTeachersBusy() {
    String urban = schoolId("城关一小");
    String wang = admin.get("/api/v1/teachers?schoolId=" + urban).json().getJsonArray("items").getJsonObject(0).getString("id");
    String studio = admin.get("/api/v1/classrooms?schoolId=" + urban).json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(c -> c.getString("name").equals("录播室")).findFirst().orElseThrow().getString("id");
    String entry = admin.get("/api/v1/timetables?schoolId=" + urban).json().getJsonArray("items").getJsonObject(0).getString("id");
    JsonObject session = new JsonObject().put("type", "master_teacher").put("subject", "音乐").put("grade", "三年级").put("leadSchoolId", urban)
        .put("leadClassroomId", studio).put("leadTeacherId", wang);

    // Wednesday 11 November, 09:50: 王老师 teaches 三年级1班 in period 3 (09:40–10:20) at 城关一小.
    List<JsonObject> busy = ScheduleTest.conflicts(admin.post("/api/v1/sessions", session.copy().put("date", "2026-11-11")
        .put("start", "09:50").put("end", "10:30")));
    assertEquals(1, busy.size(), busy.toString());
    JsonObject c = busy.get(0);
    assertEquals(List.of("teacher", wang, entry), List.of(c.getString("kind"), c.getString("resourceId"), c.getString("timetableEntryId")));
    assertTrue(c.getString("message").startsWith("王老师 周三第3节在城关一小有课（三年级1班 音乐"), c.encode());
    assertTrue(c.getString("messageEn").startsWith("王老师 teaches 三年级1班 音乐 in period 3 on Wednesdays at 城关一小"), c.encode());

    // Saturday 10 October runs Wednesday's timetable; with the term named, the same.
    List<JsonObject> makeUp = ScheduleTest.conflicts(admin.post("/api/v1/sessions", session.copy().put("date", "2026-10-10")
        .put("start", "09:40").put("end", "10:20").put("termId", term)));
    assertEquals(entry, makeUp.get(0).getString("timetableEntryId"));
    assertTrue(makeUp.get(0).getString("message").contains("调休"), makeUp.get(0).encode());

    // Another Saturday has no timetable, and period 1 on a Wednesday is free.
    assertEquals(201, admin.post("/api/v1/sessions", session.copy().put("date", "2026-10-17").put("start", "09:40").put("end", "10:20"))
        .status());
    Api.Response free = admin.post("/api/v1/sessions", session.copy().put("date", "2026-11-11").put("start", "08:00").put("end", "08:40"));
    assertEquals(201, free.status(), free.body());

    // A receiving class in its own lesson is busy too.
    String rural = schoolId("后村小学");
    String ruralClass = admin.get("/api/v1/classes?schoolId=" + rural).json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(k -> k.getString("grade").equals("三年级")).findFirst().orElseThrow().getString("id");
    List<JsonObject> classBusy = ScheduleTest.conflicts(admin.post("/api/v1/sessions", session.copy().put("date", "2026-11-18")
        .put("start", "08:10").put("end", "08:50").put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural)
            .put("classId", ruralClass)))));
    assertEquals(List.of("class"), classBusy.stream().map(k -> k.getString("kind")).toList(), classBusy.toString());
    assertTrue(classBusy.get(0).getString("message").startsWith("三年级1班 周三第1节在后村小学有课（语文 赵老师"), classBusy.get(0).encode());
  }
}
