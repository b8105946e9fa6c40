package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/** Schools, classrooms and classes: who may manage them, validation, and the answers for bad input. */
class OrgTest {

  static Platform platform;
  static Api admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("org");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static String create(Api api, String path, JsonObject body) {
    Api.Response r = api.post(path, body);
    assertEquals(201, r.status(), r.body());
    assertEquals(path + "/" + r.json().getString("id"), r.header("Location"));
    return r.json().getString("id");
  }

  static Api schoolAdmin(String username, String schoolId) {
    Api.Response r = admin.post("/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new io.vertx.core.json.JsonArray().add("school_admin")).put("displayName", username).put("schoolId", schoolId));
    assertEquals(201, r.status(), r.body());
    return Api.login(platform.port(), username, "password-" + username);
  }

  @Test
  void aCountySetsUpItsSchoolsClassroomsAndClasses() {
    String urban = create(admin, "/api/v1/schools", new JsonObject().put("name", "县实验小学").put("kind", "urban").put("regionCode", "371321"));
    String site = create(admin, "/api/v1/schools", new JsonObject().put("name", "石门教学点").put("kind", "teaching_site")
        .put("regionCode", "371321105"));
    String studio = create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "录播室一").put("kind", "recording")
        .put("capacity", 50));
    create(admin, "/api/v1/classes", new JsonObject().put("schoolId", site).put("grade", "三年级").put("name", "复式班").put("size", 9));

    JsonObject sites = admin.get("/api/v1/schools?kind=teaching_site").json();
    assertEquals(1, sites.getInteger("total"));
    assertEquals("石门教学点", sites.getJsonArray("items").getJsonObject(0).getString("name"));
    assertEquals(2, admin.get("/api/v1/schools?region=371321").json().getInteger("total"), "a county code covers its towns");
    assertEquals(1, admin.get("/api/v1/schools?region=371321105").json().getInteger("total"));
    assertEquals("recording", admin.get("/api/v1/classrooms/" + studio).json().getString("kind"));
    assertEquals(1, admin.get("/api/v1/classes?schoolId=" + site).json().getInteger("total"));

    Api.Response renamed = admin.patch("/api/v1/classrooms/" + studio, new JsonObject().put("capacity", 60));
    assertEquals(200, renamed.status(), renamed.body());
    assertEquals("录播室一", renamed.json().getString("name"), "fields not given are kept");
    assertEquals(60, renamed.json().getInteger("capacity"));
    assertEquals("rural", admin.patch("/api/v1/schools/" + site, new JsonObject().put("kind", "rural")).json().getString("kind"));

    // A school admin manages their own school's rooms and classes, nobody else's, and no schools.
    Api head = schoolAdmin("head.urban", urban);
    create(head, "/api/v1/classes", new JsonObject().put("schoolId", urban).put("grade", "五年级").put("name", "2班").put("size", 45));
    assertEquals(403, head.post("/api/v1/classes", new JsonObject().put("schoolId", site).put("grade", "三年级").put("name", "1班")
        .put("size", 10)).status());
    assertEquals(403, head.post("/api/v1/schools", new JsonObject().put("name", "新学校").put("kind", "rural").put("regionCode", "371321"))
        .status());
    assertEquals(200, head.get("/api/v1/schools/" + site).status(), "everyone signed in may read");
    assertEquals(204, head.delete("/api/v1/classrooms/" + studio).status());
    assertEquals(404, head.get("/api/v1/classrooms/" + studio).status());
  }

  @Test
  void regionsNestFromProvinceToTown() {
    for (String[] r : new String[][] {{"370000", "山东省"}, {"371300", "临沂市"}, {"371321", "沂南县"}, {"371321101", "界湖街道"}}) {
      Api.Response created = admin.post("/api/v1/regions", new JsonObject().put("code", r[0]).put("name", r[1]));
      assertEquals(201, created.status(), created.body());
      assertEquals("/api/v1/regions/" + r[0], created.header("Location"));
    }
    JsonObject county = admin.get("/api/v1/regions/371321").json();
    assertEquals("county", county.getString("level"));
    assertEquals("371300", county.getString("parentCode"));
    assertEquals("town", admin.get("/api/v1/regions?parent=371321").json().getJsonArray("items").getJsonObject(0).getString("level"));
    assertEquals("370000", admin.get("/api/v1/regions").json().getJsonArray("items").getJsonObject(0).getString("code"));
    assertEquals("parent_region_missing", admin.post("/api/v1/regions", new JsonObject().put("code", "371322101").put("name", "某镇")).errorCode());
    assertEquals("invalid_region", admin.post("/api/v1/regions", new JsonObject().put("code", "3713").put("name", "x")).errorCode());
    assertEquals(409, admin.post("/api/v1/regions", new JsonObject().put("code", "371321").put("name", "沂南县")).status());
    assertEquals(404, admin.get("/api/v1/regions/371399").status());
  }

  @Test
  void teachersCarryTheirSubjectsAndWeeklyLimit() {
    String school = create(admin, "/api/v1/schools", new JsonObject().put("name", "城关中心小学").put("kind", "urban").put("regionCode", "371321"));
    String other = create(admin, "/api/v1/schools", new JsonObject().put("name", "北岭小学").put("kind", "rural").put("regionCode", "371321"));
    String teacher = create(admin, "/api/v1/users", new JsonObject().put("username", "music.wang").put("password", "password-wang")
        .put("roles", new io.vertx.core.json.JsonArray().add("teacher")).put("displayName", "王老师").put("schoolId", school));
    String clerk = create(admin, "/api/v1/users", new JsonObject().put("username", "clerk.li").put("password", "password-li")
        .put("roles", new io.vertx.core.json.JsonArray().add("school_admin")).put("displayName", "李主任").put("schoolId", school));

    JsonObject fresh = admin.get("/api/v1/teachers/" + teacher).json();
    assertEquals(0, fresh.getJsonArray("subjects").size(), "a teacher without a profile teaches nothing across schools yet");
    assertEquals(8, fresh.getInteger("maxWeeklyPeriods"));
    assertEquals(404, admin.get("/api/v1/teachers/" + clerk).status(), "a school admin without the teacher role is not a teacher");

    Api.Response saved = admin.put("/api/v1/teachers/" + teacher, new JsonObject()
        .put("subjects", new io.vertx.core.json.JsonArray().add("音乐").add("美术").add("音乐")).put("maxWeeklyPeriods", 6));
    assertEquals(200, saved.status(), saved.body());
    assertEquals(new io.vertx.core.json.JsonArray().add("音乐").add("美术"), saved.json().getJsonArray("subjects"), "duplicates dropped, order kept");
    assertEquals(1, admin.get("/api/v1/teachers?subject=" + java.net.URLEncoder.encode("音乐", java.nio.charset.StandardCharsets.UTF_8)
        + "&schoolId=" + school).json().getInteger("total"));
    assertEquals(0, admin.get("/api/v1/teachers?subject=" + java.net.URLEncoder.encode("体育", java.nio.charset.StandardCharsets.UTF_8))
        .json().getInteger("total"));

    Api own = Api.login(platform.port(), "clerk.li", "password-li");
    assertEquals(200, own.put("/api/v1/teachers/" + teacher, new JsonObject().put("subjects", new io.vertx.core.json.JsonArray().add("音乐")))
        .status(), "the school's own admin may set them");
    Api outsider = schoolAdmin("head.beiling", other);
    assertEquals(403, outsider.put("/api/v1/teachers/" + teacher, new JsonObject().put("subjects", new io.vertx.core.json.JsonArray())).status());
    Api.Response bad = admin.put("/api/v1/teachers/" + teacher, new JsonObject().put("subjects", new io.vertx.core.json.JsonArray().add("音乐"))
        .put("maxWeeklyPeriods", 99));
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("maxWeeklyPeriods"), bad.body());
    assertEquals(400, admin.put("/api/v1/teachers/" + teacher, new JsonObject()).status(), "subjects are required");
  }

  @Test
  void pairingsRunFromTownOutwardsAndAlliancesGroupAnySchools() {
    String urban = create(admin, "/api/v1/schools", new JsonObject().put("name", "城关一小").put("kind", "urban").put("regionCode", "371322"));
    String town = create(admin, "/api/v1/schools", new JsonObject().put("name", "马头镇中心小学").put("kind", "town_seat").put("regionCode", "371322101"));
    String village = create(admin, "/api/v1/schools", new JsonObject().put("name", "后村小学").put("kind", "rural").put("regionCode", "371322101"));
    String site = create(admin, "/api/v1/schools", new JsonObject().put("name", "山口教学点").put("kind", "teaching_site").put("regionCode", "371322101"));

    String pairing = create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关一小—后村小学").put("coreSchoolId", urban)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(village).add(site)).put("startsOn", "2026-09-01")
        .put("subjects", new io.vertx.core.json.JsonArray().add("音乐").add("美术")));
    JsonObject p = admin.get("/api/v1/pairings/" + pairing).json();
    assertEquals("pairing", p.getString("kind"));
    assertEquals(2, p.getJsonArray("memberSchoolIds").size());
    assertEquals(1, admin.get("/api/v1/pairings?schoolId=" + site).json().getInteger("total"), "a member finds its pairing");
    assertEquals(404, admin.get("/api/v1/alliances/" + pairing).status(), "a pairing is not an alliance");

    Api.Response backwards = admin.post("/api/v1/pairings", new JsonObject().put("name", "反了").put("coreSchoolId", village)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(urban)).put("startsOn", "2026-09-01"));
    assertEquals(400, backwards.status());
    assertEquals("pairing_direction", backwards.errorCode());
    assertEquals("pairing_direction", admin.post("/api/v1/pairings", new JsonObject().put("name", "镇带城").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(urban)).put("startsOn", "2026-09-01")).errorCode());
    assertEquals("core_is_member", admin.post("/api/v1/pairings", new JsonObject().put("name", "自己").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(town)).put("startsOn", "2026-09-01")).errorCode());
    create(admin, "/api/v1/pairings", new JsonObject().put("name", "镇带村").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(site)).put("startsOn", "2026-09-01"));

    create(admin, "/api/v1/alliances", new JsonObject().put("name", "马头联盟").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(village).add(site).add(urban)).put("startsOn", "2026-09-01")
        .put("endsOn", "2027-07-15"));
    assertEquals("ends_before_start", admin.post("/api/v1/alliances", new JsonObject().put("name", "x").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(village)).put("startsOn", "2026-09-01").put("endsOn", "2026-01-01"))
        .errorCode());
    assertEquals("invalid_date", admin.post("/api/v1/alliances", new JsonObject().put("name", "x").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(village)).put("startsOn", "九月一日")).errorCode());
    assertEquals("members_required", admin.post("/api/v1/alliances", new JsonObject().put("name", "x").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray()).put("startsOn", "2026-09-01")).errorCode());
    assertEquals(404, admin.post("/api/v1/alliances", new JsonObject().put("name", "x").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(UUID.randomUUID().toString())).put("startsOn", "2026-09-01")).status());
    Api head = schoolAdmin("head.town", town);
    assertEquals(403, head.post("/api/v1/alliances", new JsonObject().put("name", "x").put("coreSchoolId", town)
        .put("memberSchoolIds", new io.vertx.core.json.JsonArray().add(village)).put("startsOn", "2026-09-01")).status());
    assertEquals(204, admin.delete("/api/v1/pairings/" + pairing).status());
    assertEquals(404, admin.get("/api/v1/pairings/" + pairing).status());
  }

  @Test
  void termsCountTeachingWeeksAndSchoolsKeepTheirBellSchedules() {
    Api.Response term = admin.post("/api/v1/terms", new JsonObject().put("name", "2026-2027学年第一学期").put("startsOn", "2026-09-01")
        .put("endsOn", "2027-01-15")
        .put("holidays", new io.vertx.core.json.JsonArray().add(new JsonObject().put("name", "国庆节").put("from", "2026-10-01").put("to", "2026-10-07")))
        .put("makeUpDays", new io.vertx.core.json.JsonArray().add(new JsonObject().put("date", "2026-10-10").put("runsAs", 4))));
    assertEquals(201, term.status(), term.body());
    assertEquals(20, term.json().getInteger("teachingWeeks"));
    assertEquals(95, term.json().getInteger("teachingDays"));
    assertEquals(409, admin.post("/api/v1/terms", new JsonObject().put("name", "2026-2027学年第一学期").put("startsOn", "2026-09-01")
        .put("endsOn", "2027-01-15")).status());
    assertEquals("invalid_term_dates", admin.post("/api/v1/terms", new JsonObject().put("name", "倒过来").put("startsOn", "2026-09-01")
        .put("endsOn", "2026-08-01")).errorCode());
    assertEquals("invalid_make_up_day", admin.post("/api/v1/terms", new JsonObject().put("name", "周六调周六").put("startsOn", "2026-09-01")
        .put("endsOn", "2027-01-15").put("makeUpDays", new io.vertx.core.json.JsonArray().add(new JsonObject().put("date", "2026-10-10")
            .put("runsAs", 6)))).errorCode());

    String school = create(admin, "/api/v1/schools", new JsonObject().put("name", "北关小学").put("kind", "urban").put("regionCode", "371323"));
    io.vertx.core.json.JsonArray periods = new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "08:20").put("end", "09:00").put("weekdays", new io.vertx.core.json.JsonArray().add(1)))
        .add(new JsonObject().put("number", 1).put("start", "08:00").put("end", "08:40")
            .put("weekdays", new io.vertx.core.json.JsonArray().add(2).add(3).add(4).add(5)))
        .add(new JsonObject().put("number", 2).put("start", "08:50").put("end", "09:30").put("weekdays", new io.vertx.core.json.JsonArray().add(2)));
    Api.Response saved = admin.put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", periods));
    assertEquals(200, saved.status(), saved.body());
    assertEquals(3, admin.get("/api/v1/schools/" + school + "/bell-schedule").json().getJsonArray("periods").size());
    Api.Response overlap = admin.put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "08:00").put("end", "08:45"))
        .add(new JsonObject().put("number", 2).put("start", "08:40").put("end", "09:20"))));
    assertEquals(400, overlap.status());
    assertTrue(overlap.json().getJsonObject("error").getString("message").contains("重叠"), overlap.body());
    assertEquals(3, admin.get("/api/v1/schools/" + school + "/bell-schedule").json().getJsonArray("periods").size(), "kept as it was");
    assertEquals(403, schoolAdmin("head.other", create(admin, "/api/v1/schools", new JsonObject().put("name", "南关小学").put("kind", "urban")
        .put("regionCode", "371323"))).put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", periods)).status());
  }

  @Test
  void badInputIsRefusedWithAReason() {
    String school = create(admin, "/api/v1/schools", new JsonObject().put("name", "东关小学").put("kind", "urban").put("regionCode", "371321"));
    Api.Response dup = admin.post("/api/v1/schools", new JsonObject().put("name", "东关小学").put("kind", "rural").put("regionCode", "371321"));
    assertEquals(409, dup.status());
    assertEquals("duplicate", dup.errorCode());
    assertEquals("unknown_school_kind", admin.post("/api/v1/schools", new JsonObject().put("name", "x").put("kind", "castle")
        .put("regionCode", "371321")).errorCode());
    assertEquals("invalid_region", admin.post("/api/v1/schools", new JsonObject().put("name", "x").put("kind", "rural")
        .put("regionCode", "37132")).errorCode());
    assertEquals("field_required", admin.post("/api/v1/schools", new JsonObject().put("kind", "rural").put("regionCode", "371321"))
        .errorCode());
    assertEquals("out_of_range", admin.post("/api/v1/classes", new JsonObject().put("schoolId", school).put("grade", "一年级")
        .put("name", "1班").put("size", 0)).errorCode());
    assertEquals("field_type", admin.post("/api/v1/classrooms", new JsonObject().put("schoolId", school).put("name", "101")
        .put("kind", "ordinary").put("capacity", "forty")).errorCode());
    assertEquals(404, admin.post("/api/v1/classrooms", new JsonObject().put("schoolId", UUID.randomUUID().toString()).put("name", "101")
        .put("kind", "ordinary").put("capacity", 40)).status());
    assertEquals(400, admin.get("/api/v1/classes/not-an-id").status());
    assertEquals(400, admin.post("/api/v1/schools", "{").status());
    Api.Response html = admin.post("/api/v1/schools", new JsonObject().put("name", "<b>二中</b>").put("kind", "urban").put("regionCode", "371322"));
    assertEquals(201, html.status());
    assertEquals("<b>二中</b>", html.json().getString("name"), "stored as given; pages insert it as text");
    assertTrue(admin.get("/api/v1/schools?region=abc").status() == 400);
  }
}
