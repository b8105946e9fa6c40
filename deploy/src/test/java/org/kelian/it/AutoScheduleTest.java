package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/**
 * Automatic scheduling of dedicated classes through the API on the real platform: the proposal places every
 * satisfiable period with no hard violation, respects both bell schedules, existing sessions and weekly limits,
 * prefers paired schools, says why the rest cannot be placed; applying stores the sessions once, in one step; a
 * run left by a dead node is taken up again.
 */
class AutoScheduleTest {

  static Platform platform;
  static Api admin;
  static String u1;
  static String u2;
  static String r1;
  static String r2;
  static String s1;
  static String yin;
  static String yue;
  static String term;
  static String r1c3;
  static String r1c4;
  static String r2c3;
  static String s1c2;
  static final Map<String, List<int[]>> BELLS = new HashMap<>();

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("autoschedule");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    u1 = school("城关一小", "urban");
    u2 = school("实验二小", "urban");
    r1 = school("后村小学", "rural");
    r2 = school("前村小学", "rural");
    s1 = school("山口教学点", "teaching_site");
    bells(u1, "08:00-08:40", "08:50-09:30", "10:00-10:40", "10:50-11:30");
    bells(u2, "08:00-08:40", "08:50-09:30", "10:00-10:40", "10:50-11:30");
    // Rural periods run a little longer: overlaps of 35–40 minutes with the town's.
    bells(r1, "08:00-08:45", "08:55-09:40", "10:00-10:45", "10:55-11:40");
    bells(r2, "08:00-08:45", "08:55-09:40", "10:00-10:45", "10:55-11:40");
    // The teaching site rings 20 minutes later: no period overlaps a town period by 35 minutes.
    bells(s1, "08:20-09:00", "09:10-09:50");
    room(u1, "录播室", "recording");
    room(u1, "101", "ordinary");
    room(u2, "互动教室", "interactive");
    r1c3 = schoolClass(r1, "三年级");
    r1c4 = schoolClass(r1, "四年级");
    r2c3 = schoolClass(r2, "三年级");
    s1c2 = schoolClass(s1, "二年级");
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关一小结对").put("coreSchoolId", u1)
        .put("memberSchoolIds", new JsonArray().add(r1).add(s1)).put("startsOn", "2026-09-01"));
    OrgTest.create(admin, "/api/v1/alliances", new JsonObject().put("name", "实验二小联盟").put("coreSchoolId", u2)
        .put("memberSchoolIds", new JsonArray().add(r1).add(r2)).put("startsOn", "2026-09-01"));
    term = OrgTest.create(admin, "/api/v1/terms", new JsonObject().put("name", "2027春").put("startsOn", "2027-02-22").put("endsOn", "2027-07-09")
        .put("holidays", new JsonArray().add(new JsonObject().put("name", "劳动节").put("from", "2027-05-01").put("to", "2027-05-05")))
        .put("makeUpDays", new JsonArray().add(new JsonObject().put("date", "2027-04-25").put("runsAs", 3))));
    yin = teacher("yin.music", u1, 3);
    yue = teacher("yue.music", u2, 4);
    // Yin leads a weekly class of her own on Monday's first period: the solver must leave that time alone.
    Api.Response own = admin.post("/api/v1/sessions", new JsonObject().put("type", "master_teacher").put("subject", "音乐").put("grade", "五年级")
        .put("leadSchoolId", u1).put("leadClassroomId", roomId(u1, "101")).put("leadTeacherId", yin).put("date", "2027-02-22")
        .put("period", 1).put("termId", term).put("weekly", true));
    assertEquals(201, own.status(), own.body());
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static String school(String name, String kind) {
    return OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", name).put("kind", kind).put("regionCode", "371321"));
  }

  static void bells(String school, String... periods) {
    JsonArray list = new JsonArray();
    List<int[]> spans = new ArrayList<>();
    for (int i = 0; i < periods.length; i++) {
      String[] p = periods[i].split("-");
      list.add(new JsonObject().put("number", i + 1).put("start", p[0]).put("end", p[1]));
      spans.add(new int[] {minutes(p[0]), minutes(p[1])});
    }
    BELLS.put(school, spans);
    assertEquals(200, admin.put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", list)).status());
  }

  static int minutes(String hhmm) {
    return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
  }

  static void room(String school, String name, String kind) {
    OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", school).put("name", name).put("kind", kind).put("capacity", 40));
  }

  static String roomId(String school, String name) {
    for (Object o : admin.get("/api/v1/classrooms?schoolId=" + school).json().getJsonArray("items")) {
      if (((JsonObject) o).getString("name").equals(name)) {
        return ((JsonObject) o).getString("id");
      }
    }
    throw new AssertionError(name);
  }

  static String schoolClass(String school, String grade) {
    return OrgTest.create(admin, "/api/v1/classes", new JsonObject().put("schoolId", school).put("grade", grade).put("name", "1班").put("size", 20));
  }

  static String teacher(String username, String school, int limit) {
    String id = OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add("teacher")).put("displayName", username).put("schoolId", school));
    assertEquals(200, admin.put("/api/v1/teachers/" + id, new JsonObject().put("subjects", new JsonArray().add("音乐"))
        .put("maxWeeklyPeriods", limit)).status());
    return id;
  }

  static JsonArray demand() {
    return new JsonArray()
        .add(line(r1c3, "音乐", 2)).add(line(r1c4, "音乐", 2)).add(line(r2c3, "音乐", 2))
        .add(line(s1c2, "音乐", 1)).add(line(r1c3, "美术", 1));
  }

  static JsonObject line(String classId, String subject, int n) {
    return new JsonObject().put("classId", classId).put("subject", subject).put("periodsPerWeek", n);
  }

  static JsonObject run(JsonArray demand) {
    Api.Response r = admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", term).put("demands", demand).put("timeLimitSeconds", 5));
    assertEquals(202, r.status(), r.body());
    assertEquals("/api/v1/auto-schedules/" + r.json().getString("id"), r.header("Location"));
    return awaitProposal(r.json().getString("id"));
  }

  static JsonObject awaitProposal(String id) {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonObject job = admin.get("/api/v1/auto-schedules/" + id).json();
      switch (job.getString("status")) {
        case "proposed":
          return job;
        case "failed", "discarded", "applied":
          fail("the run ended " + job.encode());
          break;
        default:
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
      }
    }
    throw new AssertionError("no proposal within 3 minutes");
  }

  @Test
  void aProposalPlacesTheSatisfiableDemandUnderEveryRuleAndIsAppliedOnce() {
    JsonObject job = run(demand());
    JsonObject proposal = job.getJsonObject("proposal");
    JsonObject stats = proposal.getJsonObject("stats");
    assertEquals(8, stats.getInteger("lessons"));
    assertEquals(6, stats.getInteger("satisfiable"), "the teaching site's bells and the art lesson cannot be met");
    assertEquals(6, stats.getInteger("placed"), stats.encode());
    assertEquals(0, stats.getInteger("hardViolations"));
    assertTrue(stats.getInteger("greedyPlaced") <= 6, stats.encode());

    JsonArray placements = proposal.getJsonArray("placements");
    Map<String, Integer> load = new HashMap<>();
    Set<String> classTimes = new HashSet<>();
    for (Object o : placements) {
      JsonObject p = (JsonObject) o;
      String teacher = p.getString("teacherId");
      load.merge(teacher, 1, Integer::sum);
      int start = minutes(p.getString("start"));
      int end = minutes(p.getString("end"));
      assertTrue(end - start >= 35, p.encode());
      assertTrue(inside(BELLS.get(p.getString("leadSchoolId")), start, end) && inside(BELLS.get(p.getString("schoolId")), start, end),
          "inside a period at both ends: " + p.encode());
      assertFalse(teacher.equals(yin) && p.getInteger("weekday") == 1 && start < minutes("08:40"), "Yin's own Monday class: " + p.encode());
      assertTrue(classTimes.add(p.getString("classId") + p.getInteger("weekday") + p.getString("start")), "a class twice at once");
      assertEquals(p.getString("leadSchoolId").equals(u1), p.getBoolean("paired"), p.encode());
      assertEquals("音乐", p.getString("subject"));
      assertTrue(!p.getString("schoolId").equals(r2) || teacher.equals(yue), "前村 is only allied with 实验二小: " + p.encode());
    }
    assertTrue(load.getOrDefault(yin, 0) <= 3 && load.getOrDefault(yue, 0) <= 4, load.toString());
    assertEquals(3, load.get(yin), "the paired teacher is preferred up to her limit: " + load);

    JsonArray unplaced = proposal.getJsonArray("unplaced");
    assertEquals(2, unplaced.size(), unplaced.encode());
    for (Object o : unplaced) {
      JsonObject u = (JsonObject) o;
      if (u.getString("classId").equals(s1c2)) {
        assertTrue(u.getString("reasonZh").contains("作息时间"), u.encode());
      } else {
        assertEquals("美术", u.getString("subject"));
        assertTrue(u.getString("reasonZh").contains("美术") && u.getString("reasonEn").contains("美术"), u.encode());
      }
    }

    Api.Response applied = admin.post("/api/v1/auto-schedules/" + job.getString("id") + "/apply", new JsonObject());
    assertEquals(200, applied.status(), applied.body());
    assertEquals(6, applied.json().getInteger("sessions"));
    assertEquals("proposal_not_open", admin.post("/api/v1/auto-schedules/" + job.getString("id") + "/apply", new JsonObject()).errorCode());
    assertEquals("applied", admin.get("/api/v1/auto-schedules/" + job.getString("id")).json().getString("status"));
    // The week of 2027-03-01: 后村 三年级 has its two music periods, as weekly dedicated sessions.
    JsonArray week = admin.get("/api/v1/sessions?from=2027-03-01&to=2027-03-07&classId=" + r1c3).json().getJsonArray("items");
    assertEquals(2, week.size(), week.encode());
    for (Object o : week) {
      assertEquals("dedicated", ((JsonObject) o).getString("type"));
    }

    // A second run of the same demand: one period a week of the teachers' limits is left (7 − 6), so one lesson,
    // at a time the first run's sessions leave free; it applies without conflict.
    JsonObject again = run(demand());
    assertEquals(1, again.getJsonObject("proposal").getJsonObject("stats").getInteger("placed"), again.encode());
    Api.Response second = admin.post("/api/v1/auto-schedules/" + again.getString("id") + "/apply", new JsonObject());
    assertEquals(200, second.status(), second.body());
  }

  static boolean inside(List<int[]> periods, int start, int end) {
    return periods.stream().anyMatch(p -> p[0] <= start && end <= p[1]);
  }

  @Test
  void aRunLeftByADeadNodeIsTakenUpAndADiscardedProposalCannotBeApplied() {
    UUID id = UUID.randomUUID();
    JsonObject request = new JsonObject().put("termId", term).put("demands", new JsonArray().add(line(r2c3, "音乐", 1)))
        .put("minMinutes", 35).put("timeLimitSeconds", 5);
    String adminId = admin.get("/api/v1/auth/me").json().getJsonObject("user").getString("id");
    platform.pool().preparedQuery("insert into auto_schedules (id, term_id, status, progress, request, created_by, updated_at) "
        + "values ($1, $2, 'running', 40, $3, $4, now() - interval '10 minutes')")
        .execute(Tuple.of(id, UUID.fromString(term), request, UUID.fromString(adminId))).await();
    JsonObject job = awaitProposal(id.toString());
    assertEquals(0, job.getJsonObject("proposal").getJsonObject("stats").getInteger("hardViolations"));

    Api.Response discarded = admin.post("/api/v1/auto-schedules/" + id + "/discard", new JsonObject());
    assertEquals(200, discarded.status(), discarded.body());
    assertEquals("discarded", discarded.json().getString("status"));
    assertEquals(409, admin.post("/api/v1/auto-schedules/" + id + "/apply", new JsonObject()).status());
    JsonArray list = admin.get("/api/v1/auto-schedules").json().getJsonArray("items");
    assertTrue(list.stream().anyMatch(o -> ((JsonObject) o).getString("id").equals(id.toString())), list.encode());
  }

  @Test
  void badRequestsAreRefusedWithAReason() {
    assertEquals(400, admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", term).put("demands", new JsonArray())).status());
    Api.Response tooMany = admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", term)
        .put("demands", new JsonArray().add(line(r1c3, "音乐", 11))));
    assertEquals(400, tooMany.status());
    assertTrue(tooMany.body().contains("periodsPerWeek"), tooMany.body());
    assertEquals(404, admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", term)
        .put("demands", new JsonArray().add(line(UUID.randomUUID().toString(), "音乐", 1)))).status());
    assertEquals(404, admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", UUID.randomUUID().toString())
        .put("demands", new JsonArray().add(line(r1c3, "音乐", 1)))).status());
    assertEquals(400, admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", term).put("startsOn", "2027-09-01")
        .put("demands", new JsonArray().add(line(r1c3, "音乐", 1)))).status());
    OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", "head.r1").put("password", "password-head")
        .put("roles", new JsonArray().add("school_admin")).put("displayName", "后村校长").put("schoolId", r1));
    Api head = Api.login(platform.port(), "head.r1", "password-head");
    assertEquals(403, head.post("/api/v1/auto-schedules", new JsonObject().put("termId", term)
        .put("demands", new JsonArray().add(line(r1c3, "音乐", 1)))).status());
    assertEquals(403, head.get("/api/v1/auto-schedules").status());
  }
}
