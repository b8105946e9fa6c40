package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kelian.it.LiveTest.admin;
import static org.kelian.it.LiveTest.at;
import static org.kelian.it.LiveTest.dedicatedClass;
import static org.kelian.it.LiveTest.join;
import static org.kelian.it.LiveTest.ruralApis;
import static org.kelian.it.LiveTest.signalingUrl;
import static org.kelian.it.LiveTest.zhaoApi;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.core.live.LiveClaims;

/**
 * Kurento mode as far as it goes without a Kurento Media Server: the platform is configured with a media server
 * address where nothing listens. What the pages are told, who may receive whom, that a media server that does not
 * answer leaves the room working, and the platform's side of server-side recording (the chunked POST a
 * RecorderEndpoint makes, sent here by the test) run for real; the media itself needs a real server
 * ({@code WebUiKurentoTest}).
 */
class LiveKurentoTest {

  static final String RECORDING_BASE = "http://kelian.internal.test:8080";

  @BeforeAll
  static void start() throws Exception {
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    LiveTest.setUp("live-kurento", Map.of("KELIAN_KURENTO_URL", "ws://127.0.0.1:" + nobody + "/kurento",
        "KELIAN_KURENTO_RECORDING_BASE_URL", RECORDING_BASE + "/"));
  }

  @AfterAll
  static void stop() {
    LiveTest.stop();
  }

  @Test
  void everyoneReceivesTheLeadTheLeadReceivesEveryClassroomAndAMediaServerThatIsDownLeavesTheRoomWorking() {
    String id = dedicatedClass("2026-12-01", 2).getString("id");
    at("2026-12-01", "07:58");
    JsonObject ticket = join(zhaoApi, id);
    assertEquals("sfu", ticket.getString("mode"));
    assertEquals(30, ticket.getInteger("roomLimit"));
    assertEquals("server", ticket.getString("recordingBy"), "the media server records, not the lead's page");
    String leadId = ticket.getString("peerId");
    JsonObject t1 = join(ruralApis.get(0), id);
    JsonObject t2 = join(ruralApis.get(1), id);
    JsonObject watcher = join(admin, id);
    assertEquals("observer", watcher.getString("role"));
    try (Signal lead = Signal.joined(signalingUrl, ticket.getString("token"));
         Signal r1 = Signal.joined(signalingUrl, t1.getString("token"));
         Signal r2 = Signal.joined(signalingUrl, t2.getString("token"));
         Signal obs = Signal.joined(signalingUrl, watcher.getString("token"))) {
      String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
      // a village classroom receives the lead, not another village classroom
      r1.send(new JsonObject().put("type", "media-offer").put("source", t2.getString("peerId")).put("sdp", sdp));
      assertEquals("media-offer", r1.error("not_visible").getString("about"));
      // observers watch; they do not publish
      obs.send(new JsonObject().put("type", "media-offer").put("source", watcher.getString("peerId")).put("sdp", sdp));
      obs.error("observer");
      r1.send(new JsonObject().put("type", "media-offer").put("source", UUID.randomUUID().toString()).put("sdp", sdp));
      r1.error("unknown_peer");
      r1.send(new JsonObject().put("type", "media-offer").put("source", leadId).put("sdp", sdp).put("id", 7));
      r1.error("invalid_field");
      r1.send(new JsonObject().put("type", "media-offer").put("source", leadId));
      r1.error("invalid_field");
      // browser-to-browser offers are not relayed here: the room's topology is the media server's
      r1.send(new JsonObject().put("type", "offer").put("to", t2.getString("peerId")).put("sdp", sdp));
      r1.error("not_mesh");
      assertTrue(r2.quietAbout("offer", Duration.ofMillis(300)), "nothing reached the other village classroom");

      // allowed, but no media server answers: the page hears it, and the room goes on
      r1.send(new JsonObject().put("type", "media-offer").put("source", leadId).put("id", "f1").put("sdp", sdp));
      JsonObject down = r1.next(m -> "error".equals(m.getString("type")) && "media-offer".equals(m.getString("about")), "media error",
          Duration.ofSeconds(30));
      assertEquals("media_unavailable", down.getString("code"), down.encode());
      lead.send(new JsonObject().put("type", "media-offer").put("source", t2.getString("peerId")).put("sdp", sdp));
      lead.next(m -> "media_unavailable".equals(m.getString("code")), "the lead may receive a classroom", Duration.ofSeconds(30));
      r2.send(new JsonObject().put("type", "chat").put("text", "老师好"));
      assertEquals("老师好", lead.next("chat").getString("text"));
      // the class starts; with no media server, no recording resource is made for nothing
      lead.send(new JsonObject().put("type", "start"));
      assertEquals("live", obs.next("status").getString("status"));
      assertTrue(lead.quietAbout("error", Duration.ofSeconds(2)), "starting is not refused");
    }
    assertTrue(zhaoApi.get("/api/v1/resources?mine=true").json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .noneMatch(r -> r.getString("title").contains("音乐专递课 2026-12-01")), "no recording resource without a media server to record");
  }

  @Test
  void theMediaServersRecordingBecomesTheClassRecordingOfTheLeadTeacher() throws Exception {
    String id = dedicatedClass("2026-12-02", 1, new JsonObject().put("subject", "数学").put("catalogNodeId", LiveTest.lesson))
        .getString("id");
    at("2026-12-02", "07:58");
    // what the hub does when the class goes live and a media server has a pipeline for it
    LiveClaims lead = LiveTest.platform.live().verify(join(zhaoApi, id).getString("token"));
    String uri = LiveTest.platform.hub().serverRecordings().start(lead).await();
    assertTrue(uri.startsWith(RECORDING_BASE + "/live/recordings/"), uri);
    String local = "http://127.0.0.1:" + LiveTest.platform.port() + uri.substring(RECORDING_BASE.length());
    byte[] webm = LiveTest.webmRecording();

    // a wrong tag writes nothing
    String forged = local.substring(0, local.length() - 3) + (local.endsWith("AAA") ? "BBB" : "AAA");
    assertEquals(404, post(forged, new byte[] {1, 2, 3}).status);

    // the RecorderEndpoint's POST: chunked, in pieces, until the recording stops
    Posted p = post(local, webm);
    assertEquals(200, p.status, p.body);
    JsonObject answer = new JsonObject(p.body);
    assertEquals(webm.length, answer.getLong("bytes"));
    UUID resource = UUID.fromString(answer.getString("resourceId"));
    JsonObject res = zhaoApi.get("/api/v1/resources/" + resource).json();
    assertEquals("recording", res.getString("type"));
    assertEquals("draft", res.getString("status"), "a draft of the lead teacher");
    assertEquals(LiveTest.lesson, res.getJsonArray("catalogNodes").getJsonObject(0).getString("id"), res.encode());
    assertEquals(webm.length, res.getJsonObject("file").getLong("size"), "the upload ended at what arrived");
    JsonObject media = MediaWait.settled(zhaoApi, resource, Duration.ofMinutes(3));
    assertEquals("ready", media.getString("status"), media.encode());
    assertEquals(12, zhaoApi.get("/api/v1/resources/" + resource + "/media").json().getDouble("durationSeconds"), 1);

    // the recording is finished: another POST to it is refused
    assertEquals(409, post(local, new byte[] {1, 2, 3}).status);
  }

  record Posted(int status, String body) {
  }

  /** POSTs with chunked transfer encoding, as Kurento's RecorderEndpoint does. */
  static Posted post(String url, byte[] body) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setChunkedStreamingMode(16 * 1024);
    c.setRequestProperty("Content-Type", "video/webm");
    try (OutputStream out = c.getOutputStream()) {
      for (int at = 0; at < body.length; at += 50_000) {
        out.write(body, at, Math.min(50_000, body.length - at));
        out.flush();
      }
    }
    int status = c.getResponseCode();
    java.io.InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
    String text = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new Posted(status, text);
  }
}
