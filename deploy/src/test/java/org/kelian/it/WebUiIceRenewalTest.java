package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.kelian.media.live.Coturn;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * TURN credentials that run out during a class, through a real coturn with every connection relayed
 * (KELIAN_ICE_TRANSPORT_POLICY=relay): with a 60-second lifetime, both classroom pages ask for new credentials before
 * then (30 s in), hand them to their peer connections and restart ICE; coturn allocates relays for the new user
 * names, and pictures keep coming through them. The platform's clock is a week ahead of the browsers' (as a
 * classroom PC's clock may be off): the pages count from the lifetime they are told, not from the expiry time.
 */
class WebUiIceRenewalTest {

  @RegisterExtension
  static final Browser lead = new Browser(WebUiLiveTest.FAKE_MEDIA);
  @RegisterExtension
  static final Browser village = new Browser(WebUiLiveTest.FAKE_MEDIA);

  static final TestClock CLOCK = new TestClock(Instant.parse("2026-12-07T23:55:00Z")); // 07:55 on 8 Dec in Beijing
  static final String TURN_SECRET = "ice-renewal-" + java.util.UUID.randomUUID();
  static Coturn coturn;
  static Platform platform;
  static String sessionId;

  @BeforeAll
  static void start() throws Exception {
    coturn = Coturn.start(TURN_SECRET);
    platform = TestPlatform.start("webuiice", Map.of("KELIAN_TURN_URLS", "turn:127.0.0.1:" + coturn.port() + "?transport=udp",
        "KELIAN_TURN_SECRET", TURN_SECRET, "KELIAN_TURN_TTL_SECONDS", "60", "KELIAN_ICE_TRANSPORT_POLICY", "relay"), CLOCK);
    String base = "http://127.0.0.1:" + platform.port();
    List.of(lead, village).forEach(b -> b.base(base));
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    String urban = LiveTest.school(admin, "城关五小", "urban", "371321");
    String v1 = LiveTest.school(admin, "南村小学", "rural", "371321103");
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关五小结对").put("coreSchoolId", urban)
        .put("memberSchoolIds", new JsonArray().add(v1)).put("startsOn", "2026-09-01"));
    JsonArray receivers = new JsonArray().add(new JsonObject().put("schoolId", v1)
        .put("classroomId", LiveTest.room(admin, v1, "互动教室", "interactive")).put("teacherId", LiveTest.teacher(admin, "nan.t", v1)));
    Api.Response s = admin.post("/api/v1/sessions", new JsonObject().put("type", "dedicated").put("title", "专递课堂：音乐")
        .put("subject", "音乐").put("grade", "二年级").put("leadSchoolId", urban)
        .put("leadClassroomId", LiveTest.room(admin, urban, "录播室", "recording"))
        .put("leadTeacherId", LiveTest.teacher(admin, "yue.t", urban)).put("date", "2026-12-08").put("start", "08:00").put("end", "08:40")
        .put("receivers", receivers));
    assertEquals(201, s.status(), s.body());
    sessionId = s.json().getString("id");
  }

  @AfterAll
  static void stop() throws Exception {
    if (platform != null) {
      platform.close();
    }
    if (coturn != null) {
      coturn.close();
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> hook(Browser b, String name) {
    return (List<String>) b.driver().executeScript("return window.kelianRoom." + name + "();");
  }

  @SuppressWarnings("unchecked")
  static List<String> candidateTypes(Browser b) {
    return (List<String>) b.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "window.kelianRoom.localCandidateTypes().then(done, function (e) { done([String(e)]); });");
  }

  static long renewals(Browser b) {
    return ((Number) b.driver().executeScript("return window.kelianRoom.iceRenewals();")).longValue();
  }

  static long framesFromTheOther(Browser b) {
    return WebUiLiveTest.frames(b).values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void turnCredentialsAreRenewedBeforeTheyRunOutAndTheClassGoesOn() {
    WebUiLiveTest.enter(lead, "yue.t", sessionId);
    WebUiLiveTest.enter(village, "nan.t", sessionId);
    for (Browser b : List.of(lead, village)) {
      new WebDriverWait(b.driver(), Duration.ofSeconds(60)).withMessage(() -> "frames decoded: " + WebUiLiveTest.frames(b))
          .until(d -> framesFromTheOther(b) > 0);
    }
    for (Browser b : List.of(lead, village)) {
      assertEquals(List.of("relay"), candidateTypes(b), "relay only: through coturn");
    }
    Map<Browser, List<String>> users = Map.of(lead, hook(lead, "turnUsers"), village, hook(village, "turnUsers"));
    Map<Browser, List<String>> ufrags = Map.of(lead, hook(lead, "iceUfrags"), village, hook(village, "iceUfrags"));
    for (Browser b : List.of(lead, village)) {
      assertEquals(0, renewals(b));
      assertTrue(users.get(b).get(0).matches("\\d+:.+"), "coturn's REST user name, expiry:user: " + users.get(b));
    }
    CLOCK.advance(Duration.ofMinutes(1)); // credentials issued from now on carry a later expiry in their user name
    for (Browser b : List.of(lead, village)) {
      new WebDriverWait(b.driver(), Duration.ofSeconds(60)).withMessage("the page should renew its TURN credentials")
          .until(d -> renewals(b) >= 1);
    }
    for (Browser b : List.of(lead, village)) {
      // new credentials in the peer connection, and a new ICE session (a restart) on it
      new WebDriverWait(b.driver(), Duration.ofSeconds(20)).withMessage(() -> "renewed: " + hook(b, "turnUsers") + " " + hook(b, "iceUfrags") + " "
          + b.driver().executeScript("return window.kelianRoom.iceError();") + " " + b.driver().findElement(By.id("room-banner")).getText())
          .until(d -> !hook(b, "turnUsers").equals(users.get(b)) && !hook(b, "iceUfrags").equals(ufrags.get(b)));
      assertNotEquals(users.get(b), hook(b, "turnUsers"));
    }
    for (Browser b : List.of(lead, village)) {
      // coturn allocated relays for the new user name, and the connection runs through one
      String renewed = hook(b, "turnUsers").get(0);
      new WebDriverWait(b.driver(), Duration.ofSeconds(20)).withMessage(() -> "coturn should relay for " + renewed + ":\n" + coturn.log())
          .until(d -> coturn.log().contains("user <" + renewed + ">"));
      assertTrue(!coturn.log().contains("Cannot find credentials of user <" + renewed + ">"), coturn.log());
      new WebDriverWait(b.driver(), Duration.ofSeconds(20)).withMessage(() -> "still relayed: " + candidateTypes(b))
          .until(d -> candidateTypes(b).equals(List.of("relay")));
    }
    for (Browser b : List.of(lead, village)) {
      long before = framesFromTheOther(b);
      new WebDriverWait(b.driver(), Duration.ofSeconds(30)).withMessage(() -> "pictures should keep coming: " + WebUiLiveTest.frames(b))
          .until(d -> framesFromTheOther(b) > before + 30);
    }
  }
}
