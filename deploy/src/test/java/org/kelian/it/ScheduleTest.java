package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/**
 * Class sessions under the hard rules: busy teachers, classrooms and classes (with travel time between schools),
 * receiving schools' bell schedules, pairings; weekly recurrence through a term with its holidays; every conflict
 * named in a 409; and, over random schedules, the checker never accepts an overlap nor refuses a free slot.
 */
class ScheduleTest {

  static Platform platform;
  static Api admin;
  static String urban;
  static String rural;
  static String site;
  static String studio;
  static String urbanRoom;
  static String ruralRoom;
  static String ruralClass;
  static String term;
  static String wang;
  static String li;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("schedule");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    urban = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "城关一小").put("kind", "urban").put("regionCode", "371321"));
    rural = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "后村小学").put("kind", "rural").put("regionCode", "371321101"));
    site = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "山口教学点").put("kind", "teaching_site").put("regionCode", "371321101"));
    bells(urban, "08:00", "08:40", "08:50", "09:30");
    bells(rural, "08:10", "08:50", "09:00", "09:40");
    studio = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "录播室").put("kind", "recording").put("capacity", 50));
    urbanRoom = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "101").put("kind", "ordinary").put("capacity", 45));
    ruralRoom = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", rural).put("name", "互动教室").put("kind", "interactive").put("capacity", 30));
    ruralClass = OrgTest.create(admin, "/api/v1/classes", new JsonObject().put("schoolId", rural).put("grade", "三年级").put("name", "1班").put("size", 18));
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关一小—后村小学").put("coreSchoolId", urban)
        .put("memberSchoolIds", new JsonArray().add(rural)).put("startsOn", "2026-09-01"));
    term = OrgTest.create(admin, "/api/v1/terms", new JsonObject().put("name", "2026秋").put("startsOn", "2026-09-01").put("endsOn", "2027-01-15")
        .put("holidays", new JsonArray().add(new JsonObject().put("name", "国庆节").put("from", "2026-10-01").put("to", "2026-10-07"))));
    wang = teacher("wang.music", urban);
    li = teacher("li.art", urban);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static void bells(String school, String p1s, String p1e, String p2s, String p2e) {
    assertEquals(200, admin.put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", p1s).put("end", p1e))
        .add(new JsonObject().put("number", 2).put("start", p2s).put("end", p2e)))).status());
  }

  static String teacher(String username, String school) {
    Api.Response r = admin.post("/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add("teacher")).put("displayName", username).put("schoolId", school));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  static JsonObject session(String type, String teacher, String room, String date, String start, String end) {
    return new JsonObject().put("type", type).put("subject", "音乐").put("grade", "三年级").put("leadSchoolId", urban)
        .put("leadClassroomId", room).put("leadTeacherId", teacher).put("date", date).put("start", start).put("end", end);
  }

  static JsonObject toRural(JsonObject s) {
    return s.put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural).put("classroomId", ruralRoom).put("classId", ruralClass)));
  }

  static List<JsonObject> conflicts(Api.Response r) {
    assertEquals(409, r.status(), r.body());
    assertEquals("schedule_conflict", r.errorCode());
    List<JsonObject> out = new ArrayList<>();
    r.json().getJsonObject("error").getJsonObject("details").getJsonArray("conflicts").forEach(c -> out.add((JsonObject) c));
    return out;
  }

  @Test
  void busyTeachersRoomsAndClassesAreNamedInA409() {
    Api.Response first = admin.post("/api/v1/sessions", toRural(session("dedicated", wang, studio, "2026-11-10", "08:10", "08:40"))
        .put("title", "音乐专递课"));
    assertEquals(201, first.status(), first.body());
    String firstId = first.json().getString("id");
    assertEquals("/api/v1/sessions/" + firstId, first.header("Location"));

    // Same teacher, same class, same receiving room, overlapping: three conflicts, each naming the first session.
    List<JsonObject> all = conflicts(admin.post("/api/v1/sessions", toRural(session("dedicated", wang, urbanRoom, "2026-11-10", "08:20", "08:50"))));
    assertEquals(List.of("class", "classroom", "teacher"), all.stream().map(c -> c.getString("kind")).sorted().toList());
    for (JsonObject c : all) {
      assertEquals(firstId, c.getString("sessionId"));
      assertTrue(c.getString("message").contains("音乐专递课") && c.getString("message").contains("2026-11-10 08:10–08:40"), c.encode());
      assertTrue(c.getString("messageEn").contains("\"音乐专递课\" at 2026-11-10 08:10–08:40"), c.encode());
    }
    // The studio alone, another teacher: just the classroom; the English message on request.
    Api.Response room = admin.post("/api/v1/sessions", session("master_teacher", li, studio, "2026-11-10", "08:30", "09:00"), "Accept-Language", "en");
    assertEquals(List.of("classroom"), conflicts(room).stream().map(c -> c.getString("kind")).toList());
    assertTrue(room.json().getJsonObject("error").getString("message").startsWith("1 conflict(s)"), room.body());
    // Back to back is fine; the check endpoint stores nothing.
    Api.Response check = admin.post("/api/v1/sessions/check", session("master_teacher", li, studio, "2026-11-10", "08:40", "09:10"));
    assertEquals(List.of(), check.json().getJsonArray("conflicts").getList());
    assertEquals(201, admin.post("/api/v1/sessions", session("master_teacher", li, studio, "2026-11-10", "08:40", "09:10")).status());
    // A teacher teaching at another school needs the travel time (30 min by default).
    JsonObject away = session("master_teacher", wang, ruralRoom, "2026-11-10", "09:00", "09:30").put("leadSchoolId", rural);
    assertEquals(List.of("teacher"), conflicts(admin.post("/api/v1/sessions", away)).stream().map(c -> c.getString("kind")).toList());
    assertEquals(201, admin.post("/api/v1/sessions", away.put("start", "09:10").put("end", "09:40")).status());

    JsonArray calendar = admin.get("/api/v1/sessions?from=2026-11-10&to=2026-11-16&teacherId=" + wang).json().getJsonArray("items");
    assertEquals(2, calendar.size(), calendar.encode());
    assertEquals(400, admin.get("/api/v1/sessions?from=2026-11-10&to=2026-11-10&schoolId=" + rural + "&classroomId=" + ruralRoom).status(),
        "one filter at a time");
  }

  @Test
  void bellSchedulesAndPairingsAreRulesUnlessOverriddenWithAReason() {
    // 08:45 falls between two periods at the rural school.
    List<JsonObject> bell = conflicts(admin.post("/api/v1/sessions", toRural(session("synchronous", li, urbanRoom, "2026-11-03", "08:45", "09:15"))));
    assertEquals("bell_schedule", bell.get(0).getString("kind"));
    assertTrue(bell.get(0).getString("message").contains("后村小学"), bell.get(0).encode());
    // A teaching site with no pairing and no bell schedule: both rules, both named.
    JsonObject toSite = session("dedicated", li, urbanRoom, "2026-11-04", "08:10", "08:40")
        .put("receivers", new JsonArray().add(new JsonObject().put("schoolId", site)));
    assertEquals(List.of("bell_schedule", "pairing"), conflicts(admin.post("/api/v1/sessions", toSite)).stream().map(c -> c.getString("kind")).sorted().toList());
    Api.Response overridden = admin.post("/api/v1/sessions", toSite.put("bellOverride", "教学点按城区作息上课").put("pairingOverride", "县局临时安排"));
    assertEquals(201, overridden.status(), overridden.body());
    assertEquals("县局临时安排", overridden.json().getString("pairingOverride"));
    // Master-teacher classes are not bound to pairings.
    assertEquals(201, admin.post("/api/v1/sessions", session("master_teacher", li, urbanRoom, "2026-11-05", "08:10", "08:40")
        .put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural)))).status());
  }

  @Test
  void weeklySessionsFollowTheTermAndItsHolidays() {
    JsonObject weekly = toRural(session("dedicated", li, studio, "2026-09-07", null, null)).put("period", 2).put("weekly", true).put("termId", term)
        .put("start", null).put("end", null);
    // The urban period 2 (08:50–09:30) starts before the rural school's period 2 (09:00).
    assertEquals("bell_schedule", conflicts(admin.post("/api/v1/sessions", weekly)).get(0).getString("kind"));
    Api.Response created = admin.post("/api/v1/sessions", weekly.put("period", null).put("start", "09:00").put("end", "09:30"));
    assertEquals(201, created.status(), created.body());
    JsonArray occurrences = created.json().getJsonArray("occurrences");
    assertEquals(18, occurrences.size(), "19 Mondays from 7 Sep to 11 Jan, less National Day's");
    assertFalse(occurrences.encode().contains("2026-10-05"), "no class on a holiday");
    assertEquals(java.time.Instant.parse("2026-09-07T01:00:00Z"), OffsetDateTime.parse(occurrences.getJsonObject(0).getString("startsAt"))
        .toInstant(), "09:00 in Shanghai");
    // Any Monday of the term is now taken for that room, class and teacher.
    assertEquals(List.of("class", "classroom", "classroom", "teacher"), conflicts(admin.post("/api/v1/sessions",
        toRural(session("dedicated", li, studio, "2026-12-14", "09:10", "09:30")))).stream().map(c -> c.getString("kind")).sorted().toList());
    assertEquals("not_a_teaching_day", admin.post("/api/v1/sessions", weekly.put("date", "2026-10-05")).errorCode());
  }

  @Test
  void oneOccurrenceMovesUnderTheRulesAndStatusesRecordWhatHappened() {
    JsonObject weekly = session("master_teacher", teacher("sun.weekly", urban), urbanRoom, "2026-09-08", "10:00", "10:40").put("weekly", true)
        .put("termId", term);
    Api.Response created = admin.post("/api/v1/sessions", weekly);
    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    JsonArray occurrences = created.json().getJsonArray("occurrences");
    String second = occurrences.getJsonObject(1).getString("id");
    String third = occurrences.getJsonObject(2).getString("id");
    String base = "/api/v1/sessions/" + id + "/occurrences/";

    // Onto its own third Tuesday: refused (the room and teacher are busy then), naming that occurrence's time.
    String thirdDay = occurrences.getJsonObject(2).getString("startsAt").substring(0, 10);
    List<JsonObject> busy = conflicts(admin.patch(base + second, new JsonObject().put("date", thirdDay).put("start", "10:10").put("end", "10:30")));
    assertTrue(busy.stream().allMatch(c -> c.getString("sessionId").equals(id)), busy.toString());
    Api.Response moved = admin.patch(base + second, new JsonObject().put("date", "2026-09-17").put("start", "14:00").put("end", "14:40"));
    assertEquals(200, moved.status(), moved.body());
    assertTrue(moved.json().getJsonArray("occurrences").stream().map(x -> OffsetDateTime.parse(((JsonObject) x).getString("startsAt")))
        .anyMatch(t -> t.isEqual(OffsetDateTime.parse("2026-09-17T14:00+08:00"))), moved.body());

    Api.Response live = admin.post(base + third + "/status", new JsonObject().put("status", "live").put("actualStart", "2026-09-22T10:02:00+08:00"));
    assertEquals(200, live.status(), live.body());
    assertEquals(409, admin.post(base + third + "/status", new JsonObject().put("status", "cancelled")).status(), "a live class is not cancelled");
    JsonObject ended = admin.post(base + third + "/status", new JsonObject().put("status", "ended")).json();
    JsonObject o = ended.getJsonArray("occurrences").stream().map(x -> (JsonObject) x).filter(x -> x.getString("id").equals(third)).findFirst().orElseThrow();
    assertEquals("ended", o.getString("status"));
    assertTrue(OffsetDateTime.parse(o.getString("actualStart")).isEqual(OffsetDateTime.parse("2026-09-22T10:02:00+08:00")));
    assertTrue(o.getString("actualEnd") != null);
    assertEquals(409, admin.patch(base + third, new JsonObject().put("date", "2026-09-24").put("start", "14:00").put("end", "14:40")).status(),
        "a class that happened does not move");
    assertEquals("invalid_status", admin.post(base + third + "/status", new JsonObject().put("status", "paused")).errorCode());

    long toCome = admin.get("/api/v1/sessions/" + id).json().getJsonArray("occurrences").stream().map(x -> (JsonObject) x)
        .filter(x -> "scheduled".equals(x.getString("status")) && OffsetDateTime.parse(x.getString("startsAt")).isAfter(OffsetDateTime.now())).count();
    assertEquals(toCome, (long) admin.post("/api/v1/sessions/" + id + "/cancel", null).json().getInteger("cancelled"), "the rest of the term");
    // Cancelled occurrences free the room.
    assertEquals(201, admin.post("/api/v1/sessions", session("research", li, urbanRoom, "2026-12-15", "10:00", "10:40")).status());
  }

  @Test
  void aWholeSeriesIsEditedFromNowOnUnderTheSameRules() {
    String zhou = teacher("zhou.series", urban);
    String qian = teacher("qian.series", urban);
    String room102 = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "系列教室甲").put("kind", "ordinary")
        .put("capacity", 45));
    String room103 = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "系列教室乙").put("kind", "ordinary")
        .put("capacity", 45));
    Api.Response created = admin.post("/api/v1/sessions", session("master_teacher", zhou, room102, "2026-09-02", "14:00", "14:40")
        .put("weekly", true).put("termId", term));
    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    assertEquals(201, admin.post("/api/v1/sessions", session("research", qian, room103, "2026-12-16", "15:00", "15:40")).status());

    // Qian at 15:00 is busy on 16 December: refused, naming that session; nothing changed.
    List<JsonObject> busy = conflicts(admin.patch("/api/v1/sessions/" + id, new JsonObject().put("leadTeacherId", qian)
        .put("start", "15:00").put("end", "15:40")));
    assertEquals(List.of("teacher"), busy.stream().map(c -> c.getString("kind")).toList());
    assertTrue(busy.get(0).getString("message").contains("2026-12-16 15:00–15:40"), busy.toString());
    // The series on its own does not collide with itself: every occurrence still to come moves to 15:00.
    Api.Response edited = admin.patch("/api/v1/sessions/" + id, new JsonObject().put("start", "15:00").put("end", "15:40")
        .put("title", "音乐鉴赏").put("liveAudience", "logged_in"));
    assertEquals(200, edited.status(), edited.body());
    assertEquals("音乐鉴赏", edited.json().getString("title"));
    assertEquals("logged_in", edited.json().getString("liveAudience"));
    OffsetDateTime now = OffsetDateTime.now();
    for (Object o : edited.json().getJsonArray("occurrences")) {
      OffsetDateTime at = OffsetDateTime.parse(((JsonObject) o).getString("startsAt"));
      String local = at.atZoneSameInstant(java.time.ZoneId.of("Asia/Shanghai")).toLocalTime().toString();
      assertEquals(at.isAfter(now) ? "15:00" : "14:00", local, "past occurrences keep their time: " + o);
    }
    // Another teacher takes the series over: Zhou is free on Wednesdays at 15:00 from now on, the new teacher is not.
    String wu = teacher("wu.series", urban);
    assertEquals(200, admin.patch("/api/v1/sessions/" + id, new JsonObject().put("leadTeacherId", wu)).status());
    assertEquals(201, admin.post("/api/v1/sessions", session("research", zhou, room103, "2027-01-06", "15:00", "15:40")).status());
    assertEquals(List.of("teacher"), conflicts(admin.post("/api/v1/sessions", session("research", wu, room103, "2027-01-13", "15:00", "15:40")))
        .stream().map(c -> c.getString("kind")).toList());

    assertEquals(400, admin.patch("/api/v1/sessions/" + id, new JsonObject().put("start", "15:00")).status(), "start without end");
    assertEquals(400, admin.patch("/api/v1/sessions/" + id, new JsonObject().put("live", "yes")).status());
    Api teacherApi = Api.login(platform.port(), "zhou.series", "password-zhou.series");
    assertEquals(403, teacherApi.patch("/api/v1/sessions/" + id, new JsonObject().put("title", "x")).status());
  }

  @Test
  void teachersSeeTheirOwnAndTheirSchoolsSessions() {
    String villageTeacher = OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", "ma.village").put("password", "password-ma")
        .put("roles", new JsonArray().add("rural_teacher")).put("displayName", "马老师").put("schoolId", rural));
    Api.Response village = admin.post("/api/v1/sessions", new JsonObject().put("type", "research").put("subject", "语文").put("grade", "三年级")
        .put("leadSchoolId", rural).put("leadClassroomId", ruralRoom).put("leadTeacherId", villageTeacher).put("date", "2026-12-23")
        .put("start", "14:00").put("end", "14:40"));
    assertEquals(201, village.status(), village.body());
    String kong = teacher("kong.reader", urban);
    Api reader = Api.login(platform.port(), "kong.reader", "password-kong.reader");
    String week = "/api/v1/sessions?from=2026-12-21&to=2026-12-27";
    assertEquals(200, reader.get(week + "&teacherId=" + kong).status());
    assertEquals(200, reader.get(week + "&schoolId=" + urban).status());
    assertEquals(200, reader.get(week + "&classroomId=" + studio).status());
    assertEquals("calendar_not_yours", reader.get(week + "&teacherId=" + villageTeacher).errorCode());
    assertEquals(403, reader.get(week + "&schoolId=" + rural).status());
    assertEquals(403, reader.get(week).status(), "the whole county is for admins");
    assertEquals(403, reader.get("/api/v1/sessions/" + village.json().getString("id")).status());
    Api ma = Api.login(platform.port(), "ma.village", "password-ma");
    assertEquals(200, ma.get("/api/v1/sessions/" + village.json().getString("id")).status(), "their own session");
    assertEquals(1, ma.get(week + "&schoolId=" + rural).json().getJsonArray("items").size());
  }

  @Test
  void theReceivingSchoolConfirms() {
    Api.Response created = admin.post("/api/v1/sessions", toRural(session("dedicated", teacher("he.confirm", urban), studio, "2026-12-22", "08:10",
        "08:40")));
    assertEquals(201, created.status(), created.body());
    String id = created.json().getString("id");
    assertEquals(null, created.json().getJsonArray("receivers").getJsonObject(0).getValue("confirmedAt"), "not confirmed yet");
    OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", "head.houcun").put("password", "password-houcun")
        .put("roles", new JsonArray().add("school_admin")).put("displayName", "后村校长").put("schoolId", rural));
    OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", "head.chengguan").put("password", "password-chengguan")
        .put("roles", new JsonArray().add("school_admin")).put("displayName", "城关校长").put("schoolId", urban));
    Api lead = Api.login(platform.port(), "head.chengguan", "password-chengguan");
    assertEquals(403, lead.post("/api/v1/sessions/" + id + "/receivers/" + rural + "/confirm", null).status(), "the lead school cannot confirm for them");
    Api head = Api.login(platform.port(), "head.houcun", "password-houcun");
    Api.Response confirmed = head.post("/api/v1/sessions/" + id + "/receivers/" + rural + "/confirm", null);
    assertEquals(200, confirmed.status(), confirmed.body());
    String at = confirmed.json().getJsonArray("receivers").getJsonObject(0).getString("confirmedAt");
    assertTrue(at != null && OffsetDateTime.parse(at).isAfter(OffsetDateTime.now().minusMinutes(5)), confirmed.body());
    assertEquals(at, head.post("/api/v1/sessions/" + id + "/receivers/" + rural + "/confirm", null).json().getJsonArray("receivers")
        .getJsonObject(0).getString("confirmedAt"), "the first confirmation stands");
    assertEquals("not_a_receiver", admin.post("/api/v1/sessions/" + id + "/receivers/" + site + "/confirm", null).errorCode());
  }

  @Test
  void theDeliveryReportCountsWhatWasHeldPerPairingAndMonth() {
    String report = "/api/v1/reports/delivery?kind=pairing&from=2026-11-01&to=2026-11-30";
    JsonObject before = pairingMonth(admin.get(report).json(), "2026-11");
    String zhou = teacher("zhou.delivery", urban);
    String room = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "录播室二")
        .put("kind", "recording").put("capacity", 40));
    List<String[]> made = new ArrayList<>();
    for (String day : List.of("2026-11-17", "2026-11-18", "2026-11-19")) {
      Api.Response r = admin.post("/api/v1/sessions", session("dedicated", zhou, room, day, "08:10", "08:40")
          .put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural))));
      assertEquals(201, r.status(), r.body());
      made.add(new String[] {r.json().getString("id"), r.json().getJsonArray("occurrences").getJsonObject(0).getString("id")});
    }
    assertEquals(200, admin.post("/api/v1/sessions/" + made.get(0)[0] + "/occurrences/" + made.get(0)[1] + "/status",
        new JsonObject().put("status", "ended")).status());
    assertEquals(200, admin.post("/api/v1/sessions/" + made.get(1)[0] + "/occurrences/" + made.get(1)[1] + "/status",
        new JsonObject().put("status", "cancelled")).status());

    JsonObject body = admin.get(report).json();
    JsonObject after = pairingMonth(body, "2026-11");
    assertEquals(before.getLong("due") + 3, after.getLong("due"));
    assertEquals(before.getLong("held") + 1, after.getLong("held"));
    assertEquals(before.getLong("cancelled") + 1, after.getLong("cancelled"));
    assertEquals(Math.round(after.getLong("held") * 1000.0 / after.getLong("due")) / 1000.0, after.getDouble("shareHeld"));
    JsonObject hours = body.getJsonArray("classroomHours").stream().map(x -> (JsonObject) x).filter(x -> x.getString("classroomId").equals(room))
        .findFirst().orElseThrow();
    assertEquals("2026-W47", hours.getString("week"));
    assertEquals(0.5, hours.getDouble("hours"));

    Api.Response csv = admin.get(report + "&format=csv");
    assertTrue(csv.header("Content-Type").startsWith("text/csv"));
    assertTrue(csv.body().startsWith("\uFEFF结对/联盟,月份,应开课次,实开课次,取消课次,开课比"), csv.body());
    assertTrue(csv.body().contains("城关一小—后村小学,2026-11,"), csv.body());
    assertEquals(403, Api.login(platform.port(), "zhou.delivery", "password-zhou.delivery").get(report).status());
    assertEquals("invalid_kind", admin.get("/api/v1/reports/delivery?kind=club&from=2026-11-01&to=2026-11-30").errorCode());
  }

  static JsonObject pairingMonth(JsonObject report, String month) {
    return report.getJsonArray("groups").stream().map(x -> (JsonObject) x).filter(g -> g.getString("name").equals("城关一小—后村小学"))
        .flatMap(g -> g.getJsonArray("months").stream().map(m -> (JsonObject) m)).filter(m -> m.getString("month").equals(month))
        .findFirst().orElse(new JsonObject().put("due", 0L).put("held", 0L).put("cancelled", 0L));
  }

  @Test
  void badRequestsAndRights() {
    assertEquals("invalid_choice", admin.post("/api/v1/sessions", session("lecture", li, urbanRoom, "2026-11-06", "08:10", "08:40")).errorCode());
    assertEquals("invalid_date", admin.post("/api/v1/sessions", session("research", li, urbanRoom, "11/06", "08:10", "08:40")).errorCode());
    assertEquals("invalid_times", admin.post("/api/v1/sessions", session("research", li, urbanRoom, "2026-11-06", "08:40", "08:10")).errorCode());
    assertEquals("wrong_school", admin.post("/api/v1/sessions", session("research", li, ruralRoom, "2026-11-06", "08:10", "08:40")).errorCode());
    assertEquals("term_required", admin.post("/api/v1/sessions", session("research", li, urbanRoom, "2026-11-06", "08:10", "08:40")
        .put("weekly", true)).errorCode());
    Api teacherApi = Api.login(platform.port(), "li.art", "password-li.art");
    assertEquals(403, teacherApi.post("/api/v1/sessions", session("research", li, urbanRoom, "2026-11-06", "08:10", "08:40")).status());
    assertEquals(400, admin.get("/api/v1/sessions?from=2026-09-01&to=2027-01-15").status(), "calendars are at most 62 days");
  }

  /** Random sessions on two days: whatever is accepted never overlaps on a shared resource; whatever is refused does. */
  @Test
  void theCheckerNeverAcceptsAnOverlapNorRefusesAFreeSlot() {
    Random rnd = new Random(20261129);
    List<String> teachers = List.of(wang, li, teacher("zhao.pe", urban));
    List<String> rooms = List.of(studio, urbanRoom, OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban)
        .put("name", "102").put("kind", "ordinary").put("capacity", 45)));
    record Slot(String teacher, String room, String date, int from, int to) {
      boolean clashes(Slot o) {
        return date.equals(o.date) && from < o.to && o.from < to && (teacher.equals(o.teacher) || room.equals(o.room));
      }
    }
    List<Slot> accepted = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int from = 13 * 60 + rnd.nextInt(16) * 10;
      Slot s = new Slot(teachers.get(rnd.nextInt(3)), rooms.get(rnd.nextInt(3)), rnd.nextBoolean() ? "2027-01-05" : "2027-01-06", from,
          from + 20 + rnd.nextInt(5) * 10);
      Api.Response r = admin.post("/api/v1/sessions", session("research", s.teacher(), s.room(), s.date(),
          String.format("%02d:%02d", s.from() / 60, s.from() % 60), String.format("%02d:%02d", s.to() / 60, s.to() % 60)));
      boolean clash = accepted.stream().anyMatch(s::clashes);
      assertEquals(clash ? 409 : 201, r.status(), s + " against " + accepted + ": " + r.body());
      if (!clash) {
        accepted.add(s);
      }
    }
    assertTrue(accepted.size() > 5 && accepted.size() < 60, "the random schedule had both outcomes: " + accepted.size());
  }
}
