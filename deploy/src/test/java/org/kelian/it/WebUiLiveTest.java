package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A live class in three headless Chromiums with fake cameras and microphones: the lead studio and two village
 * classrooms enter from "my classes today", each decodes video from each of the others (getStats), the lead starts
 * the class, a village classroom's signaling connection drops and comes back (ICE restart) and pictures keep coming,
 * the lead ends the class and every page says so; the lead's page recorded the class into the library while it ran,
 * with the other classrooms composed beside the lead's picture, and the recording plays in the player after
 * transcoding.
 */
class WebUiLiveTest {

  static final String[] FAKE_MEDIA = {"--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required"};

  @RegisterExtension
  static final Browser lead = new Browser(FAKE_MEDIA);
  @RegisterExtension
  static final Browser village1 = new Browser(FAKE_MEDIA);
  @RegisterExtension
  static final Browser village2 = new Browser(FAKE_MEDIA);

  static final TestClock CLOCK = new TestClock(Instant.parse("2026-12-07T23:55:00Z")); // 07:55 on 8 Dec in Beijing
  static Platform platform;
  static Api admin;
  static String sessionId;
  static String village1Id;

  @BeforeAll
  static void start() {
    setUp("webuilive", Map.of(), List.of(lead, village1, village2));
  }

  /**
   * A platform with {@code env}, the pages of {@code browsers} pointed at it, and a master-teacher class on 8 Dec
   * 08:00–08:40 from 城关四小 (lead teacher ming.shi) to two village schools (dong.t, xi.t).
   */
  static void setUp(String name, Map<String, String> env, List<Browser> browsers) {
    setUp(name, env, browsers, null);
  }

  /** With a media server of the test's for Kurento mode (null: as {@code env} configures). */
  static void setUp(String name, Map<String, String> env, List<Browser> browsers, org.kelian.media.live.SfuBackend media) {
    platform = TestPlatform.start(name, env, CLOCK, media);
    String base = "http://127.0.0.1:" + platform.port();
    browsers.forEach(b -> b.base(base));
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    String urban = LiveTest.school(admin, "城关四小", "urban", "371321");
    String v1 = LiveTest.school(admin, "东村小学", "rural", "371321101");
    String v2 = LiveTest.school(admin, "西村小学", "rural", "371321102");
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关四小结对").put("coreSchoolId", urban)
        .put("memberSchoolIds", new JsonArray().add(v1).add(v2)).put("startsOn", "2026-09-01"));
    String studio = LiveTest.room(admin, urban, "录播室", "recording");
    JsonArray receivers = new JsonArray();
    village1Id = LiveTest.teacher(admin, "dong.t", v1);
    receivers.add(new JsonObject().put("schoolId", v1).put("classroomId", LiveTest.room(admin, v1, "互动教室", "interactive")).put("teacherId", village1Id));
    receivers.add(new JsonObject().put("schoolId", v2).put("classroomId", LiveTest.room(admin, v2, "互动教室", "interactive")).put("teacherId", LiveTest.teacher(admin, "xi.t", v2)));
    Api.Response s = admin.post("/api/v1/sessions", new JsonObject().put("type", "master_teacher").put("title", "名师课堂：认识钟表")
        .put("subject", "数学").put("grade", "一年级").put("leadSchoolId", urban).put("leadClassroomId", studio)
        .put("leadTeacherId", LiveTest.teacher(admin, "ming.shi", urban)).put("date", "2026-12-08").put("start", "08:00").put("end", "08:40").put("receivers", receivers));
    assertEquals(201, s.status(), s.body());
    sessionId = s.json().getString("id");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  /** Signs in, finds the class on "my classes today" and enters its room. */
  static void enter(Browser b, String username) {
    enter(b, username, sessionId);
  }

  static void enter(Browser b, String username, String session) {
    b.signIn(username, "password-" + username, Browser.nav("today"));
    b.click(Browser.nav("today"));
    b.visible(By.cssSelector(".today-item[data-session='" + session + "']"));
    b.click(By.cssSelector(".today-item[data-session='" + session + "'] a.btn"));
    b.visible(By.id("room-local"));
  }

  /** Frames decoded from each other classroom, as the page's peer connections report them. */
  @SuppressWarnings("unchecked")
  static Map<String, Long> frames(Browser b) {
    Object r = b.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "window.kelianRoom.framesDecoded().then(done, function (e) { done({error: String(e)}); });");
    return (Map<String, Long>) r;
  }

  /** The lead starts the class: every page shows it live. */
  static void startClass(Browser lead, Browser... others) {
    lead.click(By.id("room-start"));
    lead.text(By.id("room-status"), "上课中");
    for (Browser b : others) {
      b.text(By.id("room-status"), "上课中");
    }
  }

  /** The lead ends the class (confirming): every page shows it ended. */
  static void endClass(Browser lead, Browser... others) {
    lead.driver().executeScript("window.confirm = function () { return true; };");
    lead.click(By.id("room-end"));
    lead.text(By.id("room-status"), "已结束");
    for (Browser b : others) {
      b.text(By.id("room-status"), "已结束");
    }
  }

  /**
   * A village page's signaling connection drops as a network blip would; the page comes back by itself and the lead
   * decodes more than {@code frames} further frames from it than before the drop.
   */
  static void dropSignalingAndKeepDecoding(Browser lead, Browser village, String villageId, long frames) {
    long before = frames(lead).get(villageId);
    village.driver().executeScript("window.kelianRoom.dropSocket();");
    new WebDriverWait(village.driver(), Duration.ofSeconds(30)).withMessage("the village should reconnect")
        .until(d -> Boolean.TRUE.equals(village.driver().executeScript("return window.kelianRoom.reconnected();")));
    new WebDriverWait(lead.driver(), Duration.ofSeconds(30)).withMessage(() -> "the lead should keep decoding the village: " + frames(lead))
        .until(d -> frames(lead).get(villageId) > before + frames);
  }

  /**
   * Kurento mode: the three classrooms enter; the lead decodes both villages, each village the lead only (one tile).
   */
  static void enterThroughMediaServer(Browser lead, Browser village1, Browser village2) {
    enter(lead, "ming.shi");
    enter(village1, "dong.t");
    enter(village2, "xi.t");
    untilDecodingFromTwo(lead);
    untilDecodingFrom(village1, 1, 0);
    untilDecodingFrom(village2, 1, 0);
    assertEquals(1, village1.driver().findElements(By.cssSelector("#room-tiles .room-tile[data-peer]")).size(),
        "a village sees the lead, not the other village");
  }

  static void untilDecodingFromTwo(Browser b) {
    untilDecodingFrom(b, 2, 0);
  }

  /** Until the page decodes video from exactly {@code sources} others, more than {@code frames} frames from each. */
  static void untilDecodingFrom(Browser b, int sources, long frames) {
    new WebDriverWait(b.driver(), Duration.ofSeconds(60)).withMessage(() -> "frames decoded: " + frames(b))
        .until(d -> {
          Map<String, Long> f = frames(b);
          return f.size() == sources && f.values().stream().allMatch(n -> n > frames);
        });
  }

  @Test
  void threeClassroomsSeeEachOtherAndTheClassSurvivesADroppedConnection() throws java.io.IOException {
    enter(lead, "ming.shi");
    enter(village1, "dong.t");
    enter(village2, "xi.t");
    for (Browser b : List.of(lead, village1, village2)) {
      untilDecodingFromTwo(b);
      b.visible(By.cssSelector("#room-tiles .room-tile[data-peer]"));
      assertEquals(2, b.driver().findElements(By.cssSelector("#room-tiles .room-tile[data-peer]")).size());
    }
    lead.text(By.id("room-status"), "未开始");

    // the lead asks for every classroom in the recording, then starts the class: every page shows it live, and the
    // session has its actual start
    lead.click(By.id("room-compose"));
    lead.text(By.id("room-compose"), "只录制本教室");
    startClass(lead, village1, village2);
    assertEquals("live", admin.get("/api/v1/sessions/" + sessionId).json().getJsonArray("occurrences").getJsonObject(0).getString("status"));
    // the lead's page records while the class is live, and uploads as it goes
    new WebDriverWait(lead.driver(), Duration.ofSeconds(30)).withMessage("the recording should reach the server")
        .until(d -> recordedBytes() > 0);
    lead.visible(By.id("room-recording"));

    // a village classroom raises its hand; the lead sees it on the tile and in the list
    village1.click(By.id("room-hand"));
    lead.visible(By.cssSelector("#room-hands li button"));
    lead.click(By.cssSelector("#room-hands li button"));
    village1.text(By.id("room-hand"), "举手");

    // village 1's signaling drops; it comes back by itself and restarts ICE; the lead keeps decoding its pictures
    dropSignalingAndKeepDecoding(lead, village1, village1Id, 30);
    untilDecodingFromTwo(village1);

    // a few more seconds of class, then the lead ends it: every page says so, the session is ended
    long sofar = recordedBytes();
    new WebDriverWait(lead.driver(), Duration.ofSeconds(30)).until(d -> recordedBytes() > sofar);
    String recording = (String) lead.driver().executeScript("return window.kelianRoom.recording().resourceId;");
    endClass(lead, village1, village2);
    JsonObject occurrence = admin.get("/api/v1/sessions/" + sessionId).json().getJsonArray("occurrences").getJsonObject(0);
    assertEquals("ended", occurrence.getString("status"));
    assertTrue(OffsetDateTime.parse(occurrence.getString("actualEnd")).isAfter(OffsetDateTime.parse(occurrence.getString("actualStart")).minusSeconds(1)));

    // the recording is a draft of the lead teacher with the whole file, transcoded, and it plays
    Api teacher = Api.login(platform.port(), "ming.shi", "password-ming.shi");
    JsonObject resource = teacher.get("/api/v1/resources/" + recording).json();
    assertEquals("recording", resource.getString("type"));
    assertEquals("draft", resource.getString("status"));
    // this session names no lesson: the recording waits, unfiled, until its teacher files it under one
    assertTrue(resource.getJsonArray("catalogNodes").isEmpty(), resource.encode());
    Api.Response submit = teacher.post("/api/v1/resources/" + recording + "/submit", new JsonObject());
    assertEquals(409, submit.status(), submit.body());
    assertEquals("catalog_node_required", submit.errorCode());
    assertTrue(resource.getJsonObject("file").getLong("size") >= sofar, resource.encode());
    JsonObject media = MediaWait.settled(teacher, java.util.UUID.fromString(recording), Duration.ofMinutes(3));
    assertEquals("ready", media.getString("status"), media.encode());
    assertTrue(media.getDouble("durationSeconds") > 2, media.encode());
    // composed: the lead's picture on the left (16:9 in a 960×720 area, so dark bars above and below it), a
    // classroom's picture at the top of the right-hand column
    java.nio.file.Path original = java.nio.file.Files.createTempFile("class-recording", ".webm");
    assertEquals(200, teacher.download("/api/v1/resources/" + recording + "/file", original));
    java.nio.file.Path frame = java.nio.file.Files.createTempFile("frame", ".gray");
    Clips.ffmpeg(List.of("-ss", "2", "-i", original.toString(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", frame.toString()));
    byte[] gray = java.nio.file.Files.readAllBytes(frame);
    assertEquals(1280 * 720, gray.length, "the recording is the 1280×720 canvas");
    int barAboveLead = gray[40 * 1280 + 480] & 0xff;
    int classroomTile = gray[90 * 1280 + 1120] & 0xff;
    int leadPicture = gray[360 * 1280 + 480] & 0xff;
    assertTrue(barAboveLead < 30, "dark bar above the lead's picture: " + barAboveLead);
    assertTrue(classroomTile > 30, "a classroom's picture in the right-hand column: " + classroomTile);
    assertTrue(leadPicture > 30, "the lead's picture: " + leadPicture);
    lead.open("#/resource/" + recording);
    lead.visible(By.id("player"));
    lead.click(By.id("player-play"));
    new WebDriverWait(lead.driver(), Duration.ofSeconds(30)).withMessage("the recording should play")
        .until(d -> ((Number) lead.driver().executeScript("return document.getElementById('player').currentTime")).doubleValue() > 1);
  }

  static long recordedBytes() {
    Object r = lead.driver().executeScript("var r = window.kelianRoom.recording(); return r ? r.bytes : 0;");
    return ((Number) r).longValue();
  }
}
