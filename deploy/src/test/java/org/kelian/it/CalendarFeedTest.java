package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import net.fortuna.ical4j.model.Period;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/**
 * iCalendar feeds on the running platform: a term with a holiday and a make-up day, a weekly session with one
 * occurrence moved and one cancelled, one-off sessions (one of them cancelled); the feed is fetched without login,
 * parsed back and expanded with ical4j, and its instants equal the calendar API's occurrences that are not
 * cancelled. Permissions, bad input and revocation answer as documented.
 */
class CalendarFeedTest {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static Platform platform;
  static Api admin;
  static String urban;
  static String rural;
  static String studio;
  static String room101;
  static String ruralRoom;
  static String wang;
  static String li;
  static String weeklyId;
  // The term is set a few weeks ahead of today, so that it stays inside the feed's window whenever the test runs.
  static LocalDate monday;
  static LocalDate termEnd;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("calendarfeed");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    urban = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "城关一小").put("kind", "urban").put("regionCode", "371321"));
    rural = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "后村小学").put("kind", "rural").put("regionCode", "371321101"));
    bells(urban, "08:00", "08:40", "08:50", "09:30");
    bells(rural, "08:10", "08:50", "09:00", "09:40");
    studio = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "录播室").put("kind", "recording").put("capacity", 50));
    room101 = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "101").put("kind", "ordinary").put("capacity", 45));
    ruralRoom = OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", rural).put("name", "互动教室").put("kind", "interactive").put("capacity", 30));
    monday = LocalDate.now(SHANGHAI).plusDays(14).with(TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
    termEnd = monday.plusDays(55);
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关一小—后村小学").put("coreSchoolId", urban)
        .put("memberSchoolIds", new JsonArray().add(rural)).put("startsOn", monday.minusDays(7).toString()));
    // Week 3 opens with a two-day holiday; the Saturday of week 4 runs Monday's timetable (调休).
    String term = OrgTest.create(admin, "/api/v1/terms", new JsonObject().put("name", "测试学期").put("startsOn", monday.toString())
        .put("endsOn", termEnd.toString())
        .put("holidays", new JsonArray().add(new JsonObject().put("name", "清明节").put("from", monday.plusDays(14).toString())
            .put("to", monday.plusDays(15).toString())))
        .put("makeUpDays", new JsonArray().add(new JsonObject().put("date", monday.plusDays(26).toString()).put("runsAs", 1))));
    wang = teacher("wang.ical", urban);
    li = teacher("li.ical", urban);

    // A long title with commas and semicolons, to be escaped and folded.
    Api.Response weekly = admin.post("/api/v1/sessions", new JsonObject().put("type", "dedicated")
        .put("title", "三年级音乐专递课堂：第二单元《小小雨滴》, 城关一小; 后村小学——长标题折行测试，共八周")
        .put("subject", "音乐").put("grade", "三年级").put("leadSchoolId", urban).put("leadClassroomId", studio).put("leadTeacherId", wang)
        .put("date", monday.toString()).put("start", "09:00").put("end", "09:30").put("weekly", true).put("termId", term)
        .put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural).put("classroomId", ruralRoom))));
    assertEquals(201, weekly.status(), weekly.body());
    weeklyId = weekly.json().getString("id");
    JsonArray occurrences = weekly.json().getJsonArray("occurrences");
    assertEquals(8, occurrences.size(), "eight Mondays, less the holiday, plus the make-up Saturday: " + occurrences.encode());
    String base = "/api/v1/sessions/" + weeklyId + "/occurrences/";
    // Week 2's Monday moves to Wednesday; week 5's is cancelled.
    Api.Response moved = admin.patch(base + occurrenceOn(occurrences, monday.plusDays(7)),
        new JsonObject().put("date", monday.plusDays(9).toString()).put("start", "09:00").put("end", "09:40"));
    assertEquals(200, moved.status(), moved.body());
    assertEquals(200, admin.post(base + occurrenceOn(occurrences, monday.plusDays(28)) + "/status",
        new JsonObject().put("status", "cancelled")).status());

    oneOff("master_teacher", "名师示范课", wang, room101, monday.plusDays(3), "10:00", "10:40");
    String cancelled = oneOff("research", "集体备课（取消）", wang, room101, monday.plusDays(4), "14:00", "14:40");
    JsonObject c = admin.get("/api/v1/sessions/" + cancelled).json();
    assertEquals(200, admin.post("/api/v1/sessions/" + cancelled + "/occurrences/" + c.getJsonArray("occurrences").getJsonObject(0).getString("id")
        + "/status", new JsonObject().put("status", "cancelled")).status());
    oneOff("open_school", "李老师的美术公开课", li, studio, monday.plusDays(4), "10:00", "10:40");
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
    return user(username, "teacher", school);
  }

  static String user(String username, String role, String school) {
    Api.Response r = admin.post("/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add(role)).put("displayName", username).put("schoolId", school));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  static Api as(String username) {
    return Api.login(platform.port(), username, "password-" + username);
  }

  static String oneOff(String type, String title, String teacher, String room, LocalDate day, String start, String end) {
    Api.Response r = admin.post("/api/v1/sessions", new JsonObject().put("type", type).put("title", title).put("subject", "音乐").put("grade", "三年级")
        .put("leadSchoolId", urban).put("leadClassroomId", room).put("leadTeacherId", teacher).put("date", day.toString())
        .put("start", start).put("end", end));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  static String occurrenceOn(JsonArray occurrences, LocalDate day) {
    return occurrences.stream().map(o -> (JsonObject) o)
        .filter(o -> OffsetDateTime.parse(o.getString("startsAt")).atZoneSameInstant(SHANGHAI).toLocalDate().equals(day))
        .findFirst().orElseThrow(() -> new AssertionError("no occurrence on " + day)).getString("id");
  }

  /** Makes a feed and answers its URL's path. */
  static String feed(Api api, String kind, String id) {
    Api.Response r = api.post("/api/v1/calendar-feeds", new JsonObject().put("kind", kind).put("id", id));
    assertEquals(201, r.status(), r.body());
    String url = r.json().getString("url");
    assertTrue(url.matches("/calendar/[A-Za-z0-9_-]{43}\\.ics"), url);
    assertEquals("/api/v1/calendar-feeds/" + r.json().getString("id"), r.header("Location"));
    assertEquals(kind, r.json().getString("kind"));
    assertEquals(id, r.json().getString("resourceId"));
    return url;
  }

  /** The calendar API's occurrences that are not cancelled, as start/end instants. */
  static Set<String> fromCalendarApi(String filter) {
    Api.Response r = admin.get("/api/v1/sessions?from=" + monday + "&to=" + termEnd + "&" + filter);
    assertEquals(200, r.status(), r.body());
    Set<String> out = new TreeSet<>();
    r.json().getJsonArray("items").stream().map(o -> (JsonObject) o).filter(o -> !"cancelled".equals(o.getString("status")))
        .forEach(o -> out.add(Instant.from(OffsetDateTime.parse(o.getString("startsAt"))) + "/" + Instant.from(OffsetDateTime.parse(o.getString("endsAt")))));
    return out;
  }

  static String fetch(String path) {
    Api.Response r = new Api(platform.port(), null).get(path);
    assertEquals(200, r.status(), r.body());
    assertEquals("text/calendar; charset=utf-8", r.header("Content-Type"));
    assertTrue(r.header("Cache-Control").startsWith("private"), r.header("Cache-Control"));
    return r.body();
  }

  @Test
  void aTeachersFeedExpandsToTheOccurrencesThatAreNotCancelled() throws Exception {
    Api wangApi = as("wang.ical");
    String url = feed(wangApi, "teacher", wang);
    String ics = fetch(url);

    Set<String> expected = fromCalendarApi("teacherId=" + wang);
    assertEquals(8, expected.size(), "seven of the weekly session (one cancelled) and one one-off: " + expected);
    assertEquals(expected, expand(ics), ics);

    for (String line : ics.split("\r\n")) {
      assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 75, line);
    }
    String unfolded = ics.replace("\r\n ", "");
    assertTrue(unfolded.contains("SUMMARY:三年级音乐专递课堂：第二单元《小小雨滴》\\, 城关一小\\; 后村小学——长标题折行测试，共八周\r\n"), unfolded);
    assertTrue(unfolded.contains("X-WR-CALNAME:课联课表 · wang.ical\r\n"), unfolded);
    assertTrue(unfolded.contains("EXDATE;TZID=Asia/Shanghai:" + basic(monday.plusDays(14)) + "T090000\r\n"), "the holiday");
    assertTrue(unfolded.contains("EXDATE;TZID=Asia/Shanghai:" + basic(monday.plusDays(28)) + "T090000\r\n"), "the cancelled Monday");
    assertTrue(unfolded.contains("RECURRENCE-ID;TZID=Asia/Shanghai:" + basic(monday.plusDays(7)) + "T090000\r\n"), "the moved Monday");
    assertTrue(unfolded.contains("DTSTART;TZID=Asia/Shanghai:" + basic(monday.plusDays(26)) + "T090000\r\n"), "the make-up Saturday");
    assertTrue(unfolded.contains("UID:" + weeklyId + "@kelian\r\n"), unfolded);
    assertTrue(unfolded.contains("SUMMARY:（已取消）集体备课（取消）\r\n"), "a cancelled one-off stays, marked, so subscribers see it go");
    assertTrue(unfolded.contains("DESCRIPTION:类型：专递课堂\\n学科：音乐，年级：三年级\\n主讲：城关一小 录播室（wang.ical）\\n接收：后村小学 互动教室\r\n"),
        unfolded);
    assertFalse(unfolded.contains("李老师"), "another teacher's session");

    // The feed list shows it without its secret.
    JsonArray mine = wangApi.get("/api/v1/calendar-feeds").json().getJsonArray("items");
    assertEquals(1, mine.size(), mine.encode());
    assertNull(mine.getJsonObject(0).getValue("url"));
    assertFalse(mine.encode().contains(url.substring(10, 53)), "no secret in the list");
  }

  @Test
  void aClassroomFeedShowsThatClassroomsSessionsOnly() throws Exception {
    String urbanAdmin = user("admin.chengguan", "school_admin", urban);
    assertNotNull(urbanAdmin);
    user("admin.houcun", "school_admin", rural);
    assertEquals(403, as("admin.houcun").post("/api/v1/calendar-feeds", new JsonObject().put("kind", "classroom").put("id", studio)).status(),
        "another school's classroom");
    String ics = fetch(feed(as("admin.chengguan"), "classroom", studio));
    Set<String> expected = fromCalendarApi("classroomId=" + studio);
    assertEquals(8, expected.size(), "the weekly session and 李老师's one-off: " + expected);
    assertEquals(expected, expand(ics), ics);
    String unfolded = ics.replace("\r\n ", "");
    assertTrue(unfolded.contains("SUMMARY:李老师的美术公开课\r\n"), unfolded);
    assertFalse(unfolded.contains("名师示范课"), "wang's class in room 101");
    assertTrue(unfolded.contains("X-WR-CALNAME:课联课表 · 城关一小 录播室\r\n"), unfolded);

    // The receiving classroom's feed places the weekly session there.
    String receiving = fetch(feed(admin, "classroom", ruralRoom)).replace("\r\n ", "");
    assertTrue(receiving.contains("LOCATION:后村小学 互动教室\r\n"), receiving);
    assertEquals(fromCalendarApi("classroomId=" + ruralRoom), expand(receiving));
  }

  @Test
  void permissionsBadInputAndRevocation() {
    Api wangApi = as("wang.ical");
    Api liApi = as("li.ical");
    Api.Response other = wangApi.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "teacher").put("id", li));
    assertEquals(403, other.status(), "another teacher's feed");
    assertEquals(403, wangApi.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "classroom").put("id", studio)).status());
    Api.Response badKind = admin.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "school").put("id", urban));
    assertEquals(400, badKind.status());
    assertEquals("invalid_kind", badKind.errorCode());
    assertEquals(400, admin.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "teacher").put("id", "nope")).status());
    assertEquals("teacher_not_found", admin.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "teacher")
        .put("id", UUID.randomUUID().toString())).errorCode());
    assertEquals(404, admin.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "classroom").put("id", UUID.randomUUID().toString())).status());
    assertEquals(401, new Api(platform.port(), null).get("/api/v1/calendar-feeds").status());

    Api.Response made = liApi.post("/api/v1/calendar-feeds", new JsonObject().put("kind", "teacher").put("id", li));
    assertEquals(201, made.status(), made.body());
    String url = made.json().getString("url");
    String id = made.json().getString("id");
    fetch(url);
    assertEquals(403, wangApi.delete("/api/v1/calendar-feeds/" + id).status(), "someone else's feed");
    assertEquals(204, liApi.delete("/api/v1/calendar-feeds/" + id).status());
    Api anonymous = new Api(platform.port(), null);
    Api.Response gone = anonymous.get(url);
    assertEquals(404, gone.status());
    assertEquals("calendar_feed_not_found", gone.errorCode());
    assertTrue(gone.json().getJsonObject("error").getString("message").contains("日历订阅"), gone.body());
    assertTrue(anonymous.get(url, "Accept-Language", "en").json().getJsonObject("error").getString("message").contains("calendar feed"));
    assertEquals(404, liApi.delete("/api/v1/calendar-feeds/" + id).status(), "already revoked");
    assertEquals(404, anonymous.get("/calendar/" + "A".repeat(43) + ".ics").status(), "a guessed token");
    assertEquals(404, anonymous.get("/calendar/short.ics").status());
    assertEquals(0, liApi.get("/api/v1/calendar-feeds").json().getJsonArray("items").size());
  }

  static String basic(LocalDate d) {
    return d.toString().replace("-", "");
  }

  static Set<String> expand(String ics) throws Exception {
    return org.kelian.core.schedule.IcsExpansion.expand(ics, new Period<>(ZonedDateTime.now().minusYears(1), ZonedDateTime.now().plusYears(2)));
  }

}
