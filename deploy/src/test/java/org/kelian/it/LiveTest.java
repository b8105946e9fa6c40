package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kelian.deploy.Platform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The class room of a scheduled session against the real platform: who may enter and as what, when the room opens,
 * the room token, relaying within one room only, start and end with actual times and attendance, reconnecting,
 * removing, a full room, and bad or flooding messages. The browsers' media is {@link WebUiLiveTest}'s.
 */
class LiveTest {

  static final String TURN_SECRET = "coturn-static-auth-secret";
  static final TestClock CLOCK = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
  static Platform platform;
  static Api admin;
  static String signalingUrl;
  static String urban;
  static String studio;
  static String studio2;
  static final List<String> ruralSchools = new ArrayList<>();
  static final List<String> ruralRooms = new ArrayList<>();
  static String zhao;
  static String feng;
  static final List<String> ruralTeachers = new ArrayList<>();
  static Api zhaoApi;
  static Api fengApi;
  static final List<Api> ruralApis = new ArrayList<>();
  static Api outsider;
  static String lesson;

  @BeforeAll
  static void start() {
    setUp("live", Map.of("KELIAN_LIVE_MESH_LIMIT", "3", "KELIAN_LIVE_RECONNECT_GRACE_SECONDS", "3"));
  }

  /**
   * A platform with STUN and TURN configured and {@code env} on top, and the county of these tests: an urban school
   * with its studio and lead teachers zhao and feng, three village schools paired with it, each with a receiving
   * classroom and a teacher, an outsider, and the catalog. Other class-room tests build on it (one at a time).
   */
  static void setUp(String name, Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(Map.of("KELIAN_STUN_URLS", "stun:stun.county.test:3478",
        "KELIAN_TURN_URLS", "turn:turn.county.test:3478?transport=udp", "KELIAN_TURN_SECRET", TURN_SECRET));
    all.putAll(env);
    ruralSchools.clear();
    ruralRooms.clear();
    ruralTeachers.clear();
    ruralApis.clear();
    platform = TestPlatform.start(name, all, CLOCK);
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    signalingUrl = "ws://127.0.0.1:" + platform.port() + "/live/signal";
    urban = school(admin, "城关二小", "urban", "371321");
    String other = school(admin, "城关三小", "urban", "371321");
    studio = room(admin, urban, "录播室", "recording");
    studio2 = room(admin, urban, "互动教室", "interactive");
    zhao = teacher(admin, "zhao.lead", urban);
    feng = teacher(admin, "feng.lead", urban);
    zhaoApi = Api.login(platform.port(), "zhao.lead", "password-zhao.lead");
    fengApi = Api.login(platform.port(), "feng.lead", "password-feng.lead");
    JsonArray members = new JsonArray();
    for (int i = 1; i <= 3; i++) {
      String s = school(admin, "村小" + i, "rural", "371321101");
      ruralSchools.add(s);
      ruralRooms.add(room(admin, s, "接收教室" + i, "interactive"));
      ruralTeachers.add(teacher(admin, "rural.t" + i, s));
      ruralApis.add(Api.login(platform.port(), "rural.t" + i, "password-rural.t" + i));
      members.add(s);
    }
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关二小结对").put("coreSchoolId", urban)
        .put("memberSchoolIds", members).put("startsOn", "2026-09-01"));
    teacher(admin, "zhou.out", other);
    outsider = Api.login(platform.port(), "zhou.out", "password-zhou.out");
    Library.importCatalog(admin);
    lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  /** A school whose one period is 08:00–08:40 (what the class-room tests schedule). */
  static String school(Api admin, String name, String kind, String region) {
    String id = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", name).put("kind", kind).put("regionCode", region));
    assertEquals(200, admin.put("/api/v1/schools/" + id + "/bell-schedule", new JsonObject().put("periods", new JsonArray()
        .add(new JsonObject().put("number", 1).put("start", "08:00").put("end", "08:40")))).status());
    return id;
  }

  static String room(Api admin, String school, String name, String kind) {
    return OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", school).put("name", name).put("kind", kind)
        .put("capacity", 40));
  }

  /** A teacher of that school, password "password-" + username; answers the id. */
  static String teacher(Api admin, String username, String school) {
    Api.Response r = admin.post("/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add("teacher")).put("displayName", username).put("schoolId", school));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  /** A dedicated class on that day, 08:00–08:40 Beijing time, from the studio to the first {@code receivers} village classrooms. */
  static JsonObject dedicatedClass(String date, int receivers) {
    return dedicatedClass(date, receivers, new JsonObject());
  }

  static JsonObject dedicatedClass(String date, int receivers, JsonObject extra) {
    JsonArray rs = new JsonArray();
    for (int i = 0; i < receivers; i++) {
      rs.add(new JsonObject().put("schoolId", ruralSchools.get(i)).put("classroomId", ruralRooms.get(i)).put("teacherId", ruralTeachers.get(i)));
    }
    Api.Response r = admin.post("/api/v1/sessions", new JsonObject().put("type", "dedicated").put("title", "音乐专递课 " + date)
        .put("subject", "音乐").put("grade", "三年级").put("leadSchoolId", urban).put("leadClassroomId", studio).put("leadTeacherId", zhao)
        .put("date", date).put("start", "08:00").put("end", "08:40").put("receivers", rs).mergeIn(extra));
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  static void at(String date, String time) {
    CLOCK.set(OffsetDateTime.parse(date + "T" + time + ":00+08:00").toInstant());
  }

  static JsonObject join(Api who, String sessionId) {
    Api.Response r = who.post("/api/v1/sessions/" + sessionId + "/join", new JsonObject());
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void theRoomOpensBeforeTheClassAndSeatsEveryoneInTheirRole() {
    String id = dedicatedClass("2026-12-01", 2).getString("id");
    at("2026-12-01", "07:30");
    Api.Response early = zhaoApi.post("/api/v1/sessions/" + id + "/join", new JsonObject());
    assertEquals(409, early.status(), early.body());
    assertEquals("room_not_open", early.errorCode());
    assertTrue(early.body().contains("07:45"), "says when it opens: " + early.body());

    at("2026-12-01", "07:50");
    JsonObject lead = join(zhaoApi, id);
    assertEquals("lead", lead.getString("role"));
    assertEquals(zhao, lead.getString("peerId"));
    assertEquals("mesh", lead.getString("mode"));
    assertEquals(signalingUrl, lead.getString("signalingUrl"));
    assertEquals("scheduled", lead.getString("status"));
    assertEquals(3, lead.getInteger("meshLimit"));
    assertTrue(lead.getString("displayName").contains("录播室"), lead.getString("displayName"));
    // STUN as configured; TURN with coturn's REST credentials: "expiry:user", valid for the configured TTL
    JsonArray ice = lead.getJsonArray("iceServers");
    assertEquals("stun:stun.county.test:3478", ice.getJsonObject(0).getJsonArray("urls").getString(0));
    String turnUser = ice.getJsonObject(1).getString("username");
    assertTrue(turnUser.endsWith(":" + zhao), turnUser);
    long expiry = Long.parseLong(turnUser.substring(0, turnUser.indexOf(':')));
    assertEquals(CLOCK.instant().getEpochSecond() + 3600, expiry, 1);
    assertEquals(expiry, Instant.parse(lead.getString("iceExpiresAt")).getEpochSecond(), "the page is told when they stop working");
    assertEquals(3600, lead.getLong("iceTtlSeconds"), "and how long that is, whatever its own clock says");
    assertNotNull(ice.getJsonObject(1).getString("credential"));

    assertEquals("receiver", join(ruralApis.get(0), id).getString("role"));
    assertEquals("observer", join(admin, id).getString("role"), "a district admin observes (巡课)");
    Api.Response stranger = outsider.post("/api/v1/sessions/" + id + "/join", new JsonObject());
    assertEquals(403, stranger.status(), stranger.body());
    assertEquals("not_a_participant", stranger.errorCode());
    Api.Response notReceiving = ruralApis.get(2).post("/api/v1/sessions/" + id + "/join", new JsonObject());
    assertEquals(403, notReceiving.status(), "a village school the class does not go to");
    assertEquals(404, zhaoApi.post("/api/v1/sessions/" + java.util.UUID.randomUUID() + "/join", new JsonObject()).status());
    assertEquals(400, zhaoApi.post("/api/v1/sessions/not-a-uuid/join", new JsonObject()).status());
    assertEquals(401, new Api(platform.port(), null).post("/api/v1/sessions/" + id + "/join", new JsonObject()).status());
  }

  @Test
  void messagesReachTheirRoomOnlyAndTheLeadRunsTheClass() {
    String id = dedicatedClass("2026-12-02", 2).getString("id");
    at("2026-12-02", "07:55");
    // another class at the same time in another room of the same school
    Api.Response otherClass = admin.post("/api/v1/sessions", new JsonObject().put("type", "research").put("title", "教研活动")
        .put("subject", "音乐").put("grade", "三年级").put("leadSchoolId", urban).put("leadClassroomId", studio2).put("leadTeacherId", feng)
        .put("date", "2026-12-02").put("start", "08:00").put("end", "08:40"));
    assertEquals(201, otherClass.status(), otherClass.body());
    try (Signal lead = Signal.joined(signalingUrl, join(zhaoApi, id).getString("token"));
         Signal r1 = Signal.joined(signalingUrl, join(ruralApis.get(0), id).getString("token"));
         Signal elsewhere = Signal.joined(signalingUrl, join(fengApi, otherClass.json().getString("id")).getString("token"))) {
      assertEquals(ruralTeachers.get(0), lead.next("peer-joined").getJsonObject("peer").getString("peerId"));
      Signal r2 = new Signal(signalingUrl);
      r2.send(new JsonObject().put("type", "join").put("token", join(ruralApis.get(1), id).getString("token")));
      JsonObject welcome = r2.next("welcome");
      assertEquals("receiver", welcome.getJsonObject("you").getString("role"));
      assertEquals(2, welcome.getJsonArray("peers").size(), "the lead and the first village classroom are there");
      assertEquals("scheduled", welcome.getString("status"));

      // an offer goes to the one peer it names, from whom it came
      r2.send(new JsonObject().put("type", "offer").put("to", zhao).put("sdp", "v=0 fake offer"));
      JsonObject offer = lead.next("offer");
      assertEquals(ruralTeachers.get(1), offer.getString("from"));
      assertEquals("v=0 fake offer", offer.getString("sdp"));
      lead.send(new JsonObject().put("type", "candidate").put("to", ruralTeachers.get(1))
          .put("candidate", new JsonObject().put("candidate", "candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host").put("sdpMid", "0")
              .put("sdpMLineIndex", 0).put("extra", "dropped")));
      JsonObject cand = r2.next("candidate");
      assertEquals(zhao, cand.getString("from"));
      assertFalse(cand.getJsonObject("candidate").containsKey("extra"), "only the candidate's own fields are passed on");
      // chat, hands and states reach everyone in the room and no one outside it
      r1.send(new JsonObject().put("type", "hand").put("raised", true));
      assertTrue(lead.next("hand").getBoolean("raised"));
      lead.send(new JsonObject().put("type", "hand").put("raised", false).put("peer", ruralTeachers.get(0)));
      assertFalse(r1.next(m -> "hand".equals(m.getString("type")) && !m.getBoolean("raised"), "lowered hand").getBoolean("raised"));
      r1.send(new JsonObject().put("type", "chat").put("text", "  老师好！ "));
      JsonObject chat = r2.next("chat");
      assertEquals("老师好！", chat.getString("text"));
      assertTrue(chat.getString("name").contains("接收教室1"), chat.getString("name"));
      r1.send(new JsonObject().put("type", "state").put("audio", false));
      assertFalse(lead.next("state").getBoolean("audio"));
      assertTrue(elsewhere.quietAbout("chat", Duration.ofMillis(500)), "another room hears nothing of this one");
      assertTrue(elsewhere.received.stream().noneMatch(m -> List.of("offer", "candidate", "hand", "state", "peer-joined")
          .contains(m.getString("type"))), elsewhere.received.toString());

      // only the lead starts the class; starting records the actual start
      r1.send(new JsonObject().put("type", "start"));
      r1.error("lead_only");
      CLOCK.set(OffsetDateTime.parse("2026-12-02T08:01:00+08:00").toInstant());
      lead.send(new JsonObject().put("type", "start"));
      assertEquals("live", r2.next("status").getString("status"));
      JsonObject occurrence = admin.get("/api/v1/sessions/" + id).json().getJsonArray("occurrences").getJsonObject(0);
      assertEquals("live", occurrence.getString("status"));
      assertEquals(Instant.parse("2026-12-02T00:01:00Z"), OffsetDateTime.parse(occurrence.getString("actualStart")).toInstant());

      // the lead ends it: every classroom is let go, the actual end is kept, the room cannot be entered again
      CLOCK.set(OffsetDateTime.parse("2026-12-02T08:39:00+08:00").toInstant());
      lead.send(new JsonObject().put("type", "end"));
      assertEquals("ended", r1.next(m -> "status".equals(m.getString("type")) && "ended".equals(m.getString("status")), "ended").getString("status"));
      assertEquals(1000, r1.closeCode());
      assertEquals(1000, r2.closeCode());
      assertEquals(1000, lead.closeCode());
      occurrence = admin.get("/api/v1/sessions/" + id).json().getJsonArray("occurrences").getJsonObject(0);
      assertEquals("ended", occurrence.getString("status"));
      assertEquals(Instant.parse("2026-12-02T00:39:00Z"), OffsetDateTime.parse(occurrence.getString("actualEnd")).toInstant());
      Api.Response again = zhaoApi.post("/api/v1/sessions/" + id + "/join", new JsonObject());
      assertEquals(409, again.status(), again.body());
      assertEquals("no_open_class", again.errorCode());

      // attendance: each classroom's join and leave
      JsonArray attendance = attendanceOf(id, occurrence.getString("id"), 3);
      for (Object o : attendance) {
        JsonObject a = (JsonObject) o;
        assertNotNull(a.getString("leftAt"), a.encode());
      }
      assertEquals(List.of("lead", "receiver", "receiver"), attendance.stream().map(o -> ((JsonObject) o).getString("role")).sorted().toList());
      assertEquals(403, outsider.get("/api/v1/sessions/" + id + "/occurrences/" + occurrence.getString("id") + "/attendance").status());

      // and the delivery report counts the hours the studio taught by the actual times: 38 minutes = 0.63 h
      JsonObject report = admin.get("/api/v1/reports/delivery?kind=pairing&from=2026-12-01&to=2026-12-31").json();
      JsonObject hours = report.getJsonArray("classroomHours").stream().map(o -> (JsonObject) o)
          .filter(h -> studio.equals(h.getString("classroomId"))).findFirst().orElseThrow();
      assertEquals(0.63, hours.getDouble("hours"), 0.001, report.encode());
    }
  }

  /** The attendance of an occurrence once it has {@code rows} rows with a leave each (leaves are written as they happen). */
  static JsonArray attendanceOf(String sessionId, String occurrenceId, int rows) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonArray items;
    do {
      Api.Response r = admin.get("/api/v1/sessions/" + sessionId + "/occurrences/" + occurrenceId + "/attendance");
      assertEquals(200, r.status(), r.body());
      items = r.json().getJsonArray("items");
      if (items.size() == rows && items.stream().allMatch(o -> ((JsonObject) o).getString("leftAt") != null)) {
        return items;
      }
    } while (System.nanoTime() < deadline);
    return items;
  }

  @Test
  void tokensAreCheckedAndReconnectingTakesBackTheSamePlace() {
    String id = dedicatedClass("2026-12-03", 3).getString("id");
    at("2026-12-03", "07:58");
    JsonObject r1Ticket = join(ruralApis.get(0), id);
    try (Signal lead = Signal.joined(signalingUrl, join(zhaoApi, id).getString("token"))) {
      // a forged token (one character of the signature changed) and a token after its lifetime are refused; not the
      // last character: it carries unused bits too, and two letters can decode to the same signature
      String token = r1Ticket.getString("token");
      int at = token.length() - 5;
      char c = token.charAt(at);
      try (Signal forged = new Signal(signalingUrl)) {
        forged.send(new JsonObject().put("type", "join").put("token", token.substring(0, at) + (c == 'A' ? 'B' : 'A') + token.substring(at + 1)));
        forged.error("live_token_invalid");
        assertEquals(4401, forged.closeCode());
      }
      try (Signal none = new Signal(signalingUrl)) {
        none.send(new JsonObject().put("type", "offer").put("to", zhao).put("sdp", "x"));
        none.error("not_joined");
      }

      Signal first = Signal.joined(signalingUrl, token);
      assertEquals(ruralTeachers.get(0), lead.next("peer-joined").getJsonObject("peer").getString("peerId"));
      // the same classroom again (a page reloaded, or the network came back): it takes back its place
      try (Signal second = new Signal(signalingUrl)) {
        second.send(new JsonObject().put("type", "join").put("token", token).put("resume", true));
        JsonObject again = second.next("welcome");
        assertEquals(1, again.getJsonArray("peers").size());
        assertTrue(again.getBoolean("resumed"), "the room still had this classroom: its peers keep their connections");
        first.next("replaced");
        assertEquals(4409, first.closeCode());
        JsonObject rejoined = lead.next("peer-rejoined");
        assertEquals(ruralTeachers.get(0), rejoined.getJsonObject("peer").getString("peerId"));
        assertTrue(rejoined.getBoolean("resume"));
        second.send(new JsonObject().put("type", "chat").put("text", "又回来了"));
        assertEquals("又回来了", lead.next("chat").getString("text"));

        // a room holds three classrooms here (KELIAN_LIVE_MESH_LIMIT=3): the third village classroom makes four
        try (Signal r2 = Signal.joined(signalingUrl, join(ruralApis.get(1), id).getString("token"));
             Signal r3 = new Signal(signalingUrl)) {
          r3.send(new JsonObject().put("type", "join").put("token", join(ruralApis.get(2), id).getString("token")));
          r3.error("room_full");
          assertEquals(4429, r3.closeCode());
          // observers come on top
          try (Signal observer = Signal.joined(signalingUrl, join(admin, id).getString("token"))) {
            assertEquals("observer", lead.next(m -> "peer-joined".equals(m.getString("type"))
                && "observer".equals(m.getJsonObject("peer").getString("role")), "observer").getJsonObject("peer").getString("role"));
            JsonObject wall = admin.get("/api/v1/live/rooms").json();
            assertTrue(wall.encode().contains(id), wall.encode());
            assertEquals(403, ruralApis.get(0).get("/api/v1/live/rooms").status());
          }
          // the lead asks a classroom to leave: it is let go and cannot come back into this class
          lead.send(new JsonObject().put("type", "remove").put("peer", ruralTeachers.get(1)));
          r2.next("removed");
          assertEquals(4404, r2.closeCode());
          try (Signal back = new Signal(signalingUrl)) {
            back.send(new JsonObject().put("type", "join").put("token", join(ruralApis.get(1), id).getString("token")));
            back.error("removed");
          }
        }
      }
      // after its lifetime (300 s) the token no longer opens the room
      CLOCK.advance(Duration.ofSeconds(301));
      try (Signal late = new Signal(signalingUrl)) {
        late.send(new JsonObject().put("type", "join").put("token", token));
        late.error("live_token_expired");
        assertEquals(4401, late.closeCode());
      }
    }
  }

  @Test
  void aClassroomWhoseLinkDropsKeepsItsPlaceForTheGraceAndLeavesWhenItDroppedIfItDoesNotComeBack() {
    String id = dedicatedClass("2026-12-10", 2).getString("id");
    at("2026-12-10", "07:58");
    String t1 = join(ruralApis.get(0), id).getString("token");
    String t2 = join(ruralApis.get(1), id).getString("token");
    try (Signal lead = Signal.joined(signalingUrl, join(zhaoApi, id).getString("token"))) {
      Signal r1 = Signal.joined(signalingUrl, t1);
      Signal r2 = Signal.joined(signalingUrl, t2);
      lead.next("peer-joined");
      lead.next("peer-joined");
      // village 1's link drops (its connection closes from its side): within the grace (3 s here) the others are not
      // told it left, and it comes back into its place, its peers keeping their connections to it
      r1.close();
      assertTrue(lead.quietAbout("peer-left", Duration.ofMillis(1500)), "no peer-left within the grace");
      try (Signal back = new Signal(signalingUrl)) {
        back.send(new JsonObject().put("type", "join").put("token", t1).put("resume", true));
        assertTrue(back.next("welcome").getBoolean("resumed"), "its place was kept");
        JsonObject rejoined = lead.next("peer-rejoined");
        assertEquals(ruralTeachers.get(0), rejoined.getJsonObject("peer").getString("peerId"));
        assertTrue(rejoined.getBoolean("resume"));
        assertFalse(rejoined.getJsonObject("peer").getBoolean("away"));

        // village 2 drops at 08:10 and does not come back: it leaves when the grace is over, as of 08:10
        at("2026-12-10", "08:10");
        r2.close();
        // the server notices the close a moment later: then the observer wall shows it away
        until(() -> admin.get("/api/v1/live/rooms").json().encode().contains("\"away\":true") ? true : null, "the wall showing it away");
        at("2026-12-10", "08:30");
        assertEquals(ruralTeachers.get(1), lead.next(m -> "peer-left".equals(m.getString("type")), "peer-left", Duration.ofSeconds(10))
            .getString("peerId"));
        String occurrence = admin.get("/api/v1/sessions/" + id).json().getJsonArray("occurrences").getJsonObject(0).getString("id");
        JsonObject gone = until(() -> admin.get("/api/v1/sessions/" + id + "/occurrences/" + occurrence + "/attendance").json()
            .getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(a -> ruralTeachers.get(1).equals(a.getString("userId")) && a.getString("leftAt") != null).findFirst().orElse(null),
            "village 2's leave in the attendance");
        assertEquals(Instant.parse("2026-12-10T00:10:00Z"), OffsetDateTime.parse(gone.getString("leftAt")).toInstant(), gone.encode());
      }
    }
  }

  @Test
  void malformedAndFloodingMessagesLeaveTheRoomWorking() {
    String id = dedicatedClass("2026-12-04", 2).getString("id");
    at("2026-12-04", "07:59");
    try (Signal lead = Signal.joined(signalingUrl, join(zhaoApi, id).getString("token"));
         Signal r1 = Signal.joined(signalingUrl, join(ruralApis.get(0), id).getString("token"))) {
      Signal bad = Signal.joined(signalingUrl, join(ruralApis.get(1), id).getString("token"));
      bad.sendText("{not json");
      bad.error("malformed");
      bad.sendText("[1,2,3]");
      bad.error("malformed");
      bad.sendText("{\"type\": 42}");
      bad.error("malformed");
      bad.sendBinary(new byte[] {1, 2, 3});
      bad.error("malformed");
      bad.send(new JsonObject().put("type", "teleport"));
      bad.error("unknown_type");
      bad.send(new JsonObject().put("type", "offer").put("to", zhao));
      bad.error("invalid_field");
      bad.send(new JsonObject().put("type", "offer").put("to", java.util.UUID.randomUUID().toString()).put("sdp", "x"));
      bad.error("unknown_peer");
      bad.send(new JsonObject().put("type", "candidate").put("to", zhao).put("candidate", new JsonObject().put("candidate", 7)));
      bad.error("invalid_field");
      bad.send(new JsonObject().put("type", "chat").put("text", "长".repeat(501)));
      bad.error("invalid_field");
      bad.send(new JsonObject().put("type", "chat").put("text", "x".repeat(70 * 1024)));
      bad.error("too_large");
      bad.send(new JsonObject().put("type", "end"));
      bad.error("lead_only");
      bad.send(new JsonObject().put("type", "join").put("token", "again"));
      bad.error("already_joined");
      bad.send(new JsonObject().put("type", "ping"));
      bad.next("pong");
      // none of it reached anyone else
      assertTrue(lead.received.stream().noneMatch(m -> List.of("offer", "candidate", "chat", "status").contains(m.getString("type"))),
          lead.received.toString());

      // a flood: the rate limit answers, then the connection is closed; the others carry on
      long floodStarted = System.nanoTime();
      int sent = 0;
      try {
        while (sent < 2000) {
          bad.send(new JsonObject().put("type", "chat").put("text", "刷屏" + sent));
          sent++;
        }
      } catch (java.util.concurrent.CompletionException closedByServer) {
        // the server closed the flooding connection while it was still sending
      }
      bad.error("rate_limited");
      assertEquals(4008, bad.closeCode());
      // the server handled the flood within this time (it had closed the connection by then)
      double seconds = (System.nanoTime() - floodStarted) / 1e9;
      long floodedChats = drain(r1, "chat", Duration.ofMillis(300));
      assertTrue(floodedChats <= 120 + 30 * seconds + 1,
          "at most the burst of 120 and 30 a second got through: " + floodedChats + " in " + seconds + " s");
      assertEquals(ruralTeachers.get(1), lead.next("peer-left").getString("peerId"));
      r1.send(new JsonObject().put("type", "chat").put("text", "还在吗"));
      assertEquals("还在吗", lead.next(m -> "chat".equals(m.getString("type")) && "还在吗".equals(m.getString("text")), "chat").getString("text"));
      assertEquals(200, admin.get("/health").status());
    }
  }

  private static long drain(Signal s, String type, Duration d) {
    long n = 0;
    long deadline = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject m;
      try {
        m = s.received.poll(10, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return n;
      }
      if (m != null && type.equals(m.getString("type"))) {
        n++;
      }
    }
    return n;
  }

  /** 12 s of VP8 and Opus in WebM at about 1 Mbit/s, as a browser's MediaRecorder writes a class. */
  static byte[] webmRecording() throws java.io.IOException {
    java.nio.file.Path clip = Clips.dir().resolve("class-recording-live.webm");
    if (!java.nio.file.Files.exists(clip)) {
      Clips.ffmpeg(List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
          "-t", "12", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M", "-g", "30", "-c:a", "libopus", "-b:a", "64k",
          // written as a live stream, like MediaRecorder: no duration and no index in the file
          "-live", "1", "-f", "webm", clip.toString()));
    }
    return java.nio.file.Files.readAllBytes(clip);
  }

  @Test
  void theLeadRecordsTheClassAndARecordingWhosePageWentAwayKeepsWhatArrived() throws Exception {
    // the session names its catalog lesson: the recordings are filed under it
    String id = dedicatedClass("2026-12-07", 1, new JsonObject().put("subject", "数学").put("catalogNodeId", lesson)
        .put("replayAudience", "participants")).getString("id");
    at("2026-12-07", "07:58");
    byte[] webm = webmRecording();
    Tus tus = new Tus(zhaoApi);
    try (Signal lead = Signal.joined(signalingUrl, join(zhaoApi, id).getString("token"))) {
      lead.send(new JsonObject().put("type", "start"));
      lead.next("status");
      assertEquals(403, ruralApis.get(0).post("/api/v1/sessions/" + id + "/recordings", new JsonObject()).status(), "only the lead records");

      // a page that records to the end: pieces without a length, the last one declares it; the file is attached at once
      Api.Response first = zhaoApi.post("/api/v1/sessions/" + id + "/recordings", new JsonObject());
      assertEquals(201, first.status(), first.body());
      assertEquals("recording", first.json().getString("type"));
      assertEquals("draft", first.json().getString("status"));
      assertEquals(lesson, first.json().getJsonArray("catalogNodes").getJsonObject(0).getString("id"), first.body());
      java.util.UUID whole = java.util.UUID.fromString(first.json().getString("id"));
      Api.Response created = tus.createDeferred(whole, "class-recording.webm");
      assertEquals(201, created.status(), created.body());
      String upload = created.header("Location");
      Api.Response head = tus.head(upload);
      assertEquals("1", head.header("Upload-Defer-Length"));
      assertNull(head.header("Upload-Length"));
      int piece = webm.length / 3;
      assertEquals(204, tus.patch(upload, 0, java.util.Arrays.copyOfRange(webm, 0, piece)).status());
      assertEquals(204, tus.patch(upload, piece, java.util.Arrays.copyOfRange(webm, piece, 2 * piece)).status());
      Api.Response tooShort = tus.patchLast(upload, 2 * piece, new byte[0], piece);
      assertEquals(400, tooShort.status(), "a length below what arrived: " + tooShort.body());
      Api.Response last = tus.patchLast(upload, 2 * piece, java.util.Arrays.copyOfRange(webm, 2 * piece, webm.length), webm.length);
      assertEquals(204, last.status(), last.body());
      assertEquals(String.valueOf(webm.length), last.header("Upload-Length"));
      assertEquals(webm.length, zhaoApi.get("/api/v1/resources/" + whole).json().getJsonObject("file").getLong("size"));

      // a page that crashed after two pieces: ending the class ends its upload at the bytes that arrived
      Api.Response second = zhaoApi.post("/api/v1/sessions/" + id + "/recordings", new JsonObject());
      java.util.UUID partial = java.util.UUID.fromString(second.json().getString("id"));
      String crashed = tus.createDeferred(partial, "class-recording.webm").header("Location");
      int kept = 2 * piece;
      assertEquals(204, tus.patch(crashed, 0, java.util.Arrays.copyOfRange(webm, 0, piece)).status());
      assertEquals(204, tus.patch(crashed, piece, java.util.Arrays.copyOfRange(webm, piece, kept)).status());
      lead.send(new JsonObject().put("type", "end"));
      assertEquals(1000, lead.closeCode());
      JsonObject file = zhaoApi.get("/api/v1/resources/" + partial).json().getJsonObject("file");
      assertNotNull(file, "the crashed page's recording has its file");
      assertEquals(kept, file.getLong("size"));

      // both become adaptive video like any upload; the cut one plays for about the two thirds it has
      for (java.util.UUID r : List.of(whole, partial)) {
        JsonObject media = MediaWait.settled(zhaoApi, r, Duration.ofMinutes(3));
        assertEquals("ready", media.getString("status"), media.encode());
        assertFalse(media.getJsonArray("renditions").isEmpty(), media.encode());
      }
      double full = zhaoApi.get("/api/v1/resources/" + whole + "/media").json().getDouble("durationSeconds");
      double cut = zhaoApi.get("/api/v1/resources/" + partial + "/media").json().getDouble("durationSeconds");
      assertEquals(12, full, 1);
      assertTrue(cut > 4 && cut < 11, "two thirds of the bytes hold most of the 12 s: " + cut);
      // the replay, as the session allows it (participants): the receiving classroom watches the draft at once,
      // others see nothing of it; with replay switched off, only the owner and admins do
      Api receiving = ruralApis.get(0);
      assertEquals(200, receiving.get("/api/v1/resources/" + partial).status());
      assertEquals("ready", receiving.get("/api/v1/resources/" + partial + "/media").json().getString("status"));
      assertEquals(404, outsider.get("/api/v1/resources/" + partial).status());
      assertEquals(404, ruralApis.get(1).get("/api/v1/resources/" + partial + "/media").status(), "a school the class did not go to");

      // filed under the lesson, with its file: the lead teacher can send it for review
      assertEquals(200, zhaoApi.post("/api/v1/resources/" + whole + "/submit", new JsonObject()).status());
    }
  }

  @Test
  void viewersOfAnOpenClassBeyondTheMeshWatchTheLiveStreamOfTheRecording() throws Exception {
    // watched live by anyone signed in, but no replay
    String id = dedicatedClass("2026-12-09", 1, new JsonObject().put("type", "open_school").put("liveAudience", "logged_in")
        .put("replay", false)).getString("id");
    at("2026-12-09", "07:58");
    byte[] webm = webmRecording();
    try (Signal lead = Signal.joined(signalingUrl, join(zhaoApi, id).getString("token"));
         Signal o1 = Signal.joined(signalingUrl, join(admin, id).getString("token"));
         Signal o2 = Signal.joined(signalingUrl, join(outsider, id).getString("token"));
         Signal o3 = Signal.joined(signalingUrl, join(fengApi, id).getString("token"))) {
      // three observers fill what the mesh holds here: the fourth viewer is given the live stream instead
      JsonObject fourth = join(ruralApis.get(2), id);
      assertEquals("observer", fourth.getString("role"));
      assertEquals("hls", fourth.getString("mode"));
      String hls = fourth.getString("hlsUrl");
      assertEquals("/api/v1/sessions/" + id + "/live/index.m3u8", hls);
      Api viewer = ruralApis.get(2);
      assertEquals(404, viewer.get(hls).status(), "nothing to watch before the recording starts");
      assertEquals(401, new Api(platform.port(), null).get(hls).status());

      lead.send(new JsonObject().put("type", "start"));
      lead.next("status");
      java.util.UUID rec = java.util.UUID.fromString(zhaoApi.post("/api/v1/sessions/" + id + "/recordings", new JsonObject()).json().getString("id"));
      Tus tus = new Tus(zhaoApi);
      String upload = tus.createDeferred(rec, "class-recording.webm").header("Location");
      int piece = webm.length / 4;
      for (int i = 0; i < 4; i++) {
        int from = i * piece;
        int to = i == 3 ? webm.length : from + piece;
        Api.Response r = i == 3 ? tus.patchLast(upload, from, java.util.Arrays.copyOfRange(webm, from, to), webm.length)
            : tus.patch(upload, from, java.util.Arrays.copyOfRange(webm, from, to));
        assertEquals(204, r.status(), r.body());
      }
      String playlist = until(() -> {
        Api.Response p = viewer.get(hls);
        return p.status() == 200 && p.body().contains(".ts") ? p.body() : null;
      }, "a live playlist with a segment");
      assertTrue(playlist.startsWith("#EXTM3U"), playlist);
      String segment = playlist.lines().filter(l -> l.endsWith(".ts")).findFirst().orElseThrow();
      java.nio.file.Path seg = java.nio.file.Files.createTempFile("live", ".ts");
      assertEquals(200, viewer.download("/api/v1/sessions/" + id + "/live/" + segment, seg));
      assertTrue(Clips.ffprobe("-show_entries", "stream=codec_name", "-of", "csv=p=0", seg.toString()).contains("h264"));
      assertEquals(404, viewer.get("/api/v1/sessions/" + id + "/live/..%2F..%2Fetc%2Fpasswd").status());

      // the class ends: the stream ends too (its playlist says so), and the recording goes on to the library
      lead.send(new JsonObject().put("type", "end"));
      assertEquals(1000, lead.closeCode());
      String last = until(() -> {
        Api.Response p = viewer.get(hls);
        return p.status() == 200 && p.body().contains("#EXT-X-ENDLIST") ? p.body() : null;
      }, "the playlist's end");
      assertTrue(last.lines().filter(l -> l.endsWith(".ts")).count() >= 4, "12 s in 2-second segments: " + last);
      // no replay for this session: the recording is its teacher's (and the admins') until it is published
      assertEquals(404, viewer.get("/api/v1/resources/" + rec).status());
      assertEquals(404, ruralApis.get(0).get("/api/v1/resources/" + rec).status(), "not even the receiving classroom");
      assertEquals(200, zhaoApi.get("/api/v1/resources/" + rec).status());
    }
  }

  static <T> T until(java.util.function.Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      T v = probe.get();
      if (v != null) {
        return v;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000_000);
    }
    throw new AssertionError("no " + what + " within 60 s");
  }

  @Test
  void aConnectionThatNeverJoinsIsClosed() {
    // the join timeout is 10 s, checked every 7.5 s
    try (Signal idle = new Signal(signalingUrl)) {
      idle.error("join_timeout", Duration.ofSeconds(30));
      assertEquals(4401, idle.closeCode());
    }
  }
}
