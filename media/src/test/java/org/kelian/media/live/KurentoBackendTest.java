package org.kelian.media.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KurentoBackend} through the real kurento-client, against a scripted peer that speaks the Kurento Protocol
 * (JSON-RPC 2.0 over a WebSocket: create, invoke, subscribe, release, ping; onEvent notifications) and notes every
 * request. It checks the requests our calls make and the values we hand Kurento — not what a Kurento Media Server
 * does with them (none can be installed here; see {@code WebUiKurentoTest}).
 */
class KurentoBackendTest {

  /** How Kurento Media Server parses a WebRtcEndpoint's TURN URL (kmswebrtcsession.c), decoding nothing. */
  static final Pattern KMS_TURN_URL = Pattern.compile(
      "^(?<user>.+):(?<password>.+)@(?<address>[0-9.]+):(?<port>[0-9]+)(\\?transport=(?<transport>(udp|tcp|tls)))?$");

  private final Vertx vertx = Vertx.vertx();
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A peer that answers as a media server would and keeps what it was asked. */
  final class ScriptedKms {
    final List<JsonObject> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger ids = new AtomicInteger();
    final String name;
    volatile ServerWebSocket socket;
    HttpServer server;

    ScriptedKms(String name) throws Exception {
      this.name = name;
      server = vertx.createHttpServer().webSocketHandler(ws -> {
        socket = ws;
        ws.textMessageHandler(text -> answer(ws, new JsonObject(text)));
      });
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url() {
      return "ws://127.0.0.1:" + server.actualPort() + "/kurento";
    }

    private void answer(ServerWebSocket ws, JsonObject m) {
      if (!"ping".equals(m.getString("method"))) {
        requests.add(m);
      }
      if (m.getValue("id") == null) {
        return;
      }
      JsonObject p = m.getJsonObject("params", new JsonObject());
      JsonObject result = new JsonObject().put("sessionId", "session-" + name);
      switch (m.getString("method")) {
        case "create" -> result.put("value", name + "/" + p.getString("type") + "-" + ids.incrementAndGet());
        case "subscribe" -> result.put("value", "sub-" + ids.incrementAndGet());
        case "invoke" -> {
          if ("processOffer".equals(p.getString("operation"))) {
            result.put("value", "answer to " + p.getJsonObject("operationParams").getString("offer"));
          }
        }
        case "ping" -> result.put("value", "pong");
        default -> { }
      }
      ws.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("id", m.getValue("id")).put("result", result).encode());
    }

    /** The requests of one method ("create", "invoke", …), in order. */
    List<JsonObject> params(String method) {
      synchronized (requests) {
        return requests.stream().filter(r -> method.equals(r.getString("method"))).map(r -> r.getJsonObject("params")).toList();
      }
    }

    JsonObject invoked(String object, String operation) {
      return params("invoke").stream().filter(p -> object.equals(p.getString("object")) && operation.equals(p.getString("operation")))
          .findFirst().orElseThrow(() -> new AssertionError(operation + " on " + object + " not asked: " + requests));
    }

    /** An IceCandidateFound event of that endpoint, as the server notifies its subscribers. */
    void candidateFound(String endpoint, String candidate) {
      JsonObject data = new JsonObject().put("source", endpoint).put("tags", new JsonArray()).put("timestampMillis", "1764547200000")
          .put("type", "IceCandidateFound").put("candidate", new JsonObject().put("__module__", "kurento").put("__type__", "IceCandidate")
              .put("candidate", candidate).put("sdpMid", "0").put("sdpMLineIndex", 0));
      socket.writeTextMessage(new JsonObject().put("jsonrpc", "2.0").put("method", "onEvent")
          .put("params", new JsonObject().put("value", new JsonObject().put("data", data).put("object", endpoint).put("type", "IceCandidateFound")))
          .encode());
    }
  }

  static IceOptions ice(String stun, String turn) {
    return new IceOptions(stun == null ? List.of() : List.of(stun), turn == null ? List.of() : List.of(turn), "coturn-secret", Duration.ofHours(1));
  }

  @Test
  void aFlowAndARecordingAreTheRequestsKurentoDocuments() throws Exception {
    ScriptedKms kms = new ScriptedKms("kms1");
    UUID room = UUID.randomUUID();
    try (KurentoBackend backend = new KurentoBackend(List.of(kms.url()), ice("stun:10.1.2.3:3479", "turn:10.1.2.4:3478?transport=udp"), clock)) {
      SfuBackend.Pipeline pipeline = backend.pipeline(room);
      SfuBackend.Endpoint lead = pipeline.webRtc(room, "lead>lead");
      List<JsonObject> found = Collections.synchronizedList(new ArrayList<>());
      lead.onCandidate(found::add);
      SfuBackend.Endpoint village = pipeline.webRtc(room, "village>lead");
      lead.connect(village);
      assertEquals("answer to v=0 offer", lead.processOffer("v=0 offer"));
      lead.gatherCandidates();
      lead.addCandidate(new JsonObject().put("candidate", "candidate:1 1 udp 2122260223 10.0.0.7 50000 typ host").put("sdpMid", "0")
          .put("sdpMLineIndex", 0));
      SfuBackend.Recorder recorder = pipeline.recorder("http://10.0.0.5:8080/live/recordings/u/o/t");
      lead.connect(recorder);
      recorder.record();

      // the server finds a candidate: it reaches the sink as RTCIceCandidateInit
      List<JsonObject> creates = kms.params("create");
      String pipelineId = kms.name + "/MediaPipeline-1";
      assertEquals("MediaPipeline", creates.get(0).getString("type"));
      String leadId = kms.name + "/WebRtcEndpoint-2";
      kms.candidateFound(leadId, "candidate:9 1 udp 2122260223 10.9.9.9 40000 typ host");
      long until = System.nanoTime() + 5_000_000_000L;
      while (found.isEmpty() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertEquals(List.of(new JsonObject().put("candidate", "candidate:9 1 udp 2122260223 10.9.9.9 40000 typ host").put("sdpMid", "0")
          .put("sdpMLineIndex", 0)), found);

      recorder.stop();
      pipeline.release();

      assertEquals(new JsonObject().put("mediaPipeline", pipelineId), creates.get(1).getJsonObject("constructorParams"));
      assertEquals("WebRtcEndpoint", creates.get(1).getString("type"));
      assertEquals(room + "/lead>lead", kms.invoked(leadId, "setName").getJsonObject("operationParams").getString("name"));
      assertEquals("10.1.2.3", kms.invoked(leadId, "setStunServerAddress").getJsonObject("operationParams").getString("stunServerAddress"));
      assertEquals(3479, kms.invoked(leadId, "setStunServerPort").getJsonObject("operationParams").getInteger("stunServerPort"));
      String turnUrl = kms.invoked(leadId, "setTurnUrl").getJsonObject("operationParams").getString("turnUrl");
      Matcher m = KMS_TURN_URL.matcher(turnUrl);
      assertTrue(m.matches(), turnUrl);
      TurnCredentials.Credential expected = TurnCredentials.issue("coturn-secret", "kms-" + room, clock.instant(), Duration.ofHours(1));
      assertEquals(expected.username(), m.group("user"), "the user as coturn's REST scheme makes it: " + turnUrl);
      assertEquals(expected.password(), m.group("password"));
      assertEquals("10.1.2.4", m.group("address"));
      assertEquals("3478", m.group("port"));
      assertEquals("udp", m.group("transport"));
      assertTrue(kms.params("subscribe").stream().anyMatch(p -> "IceCandidateFound".equals(p.getString("type")) && leadId.equals(p.getString("object"))));
      String villageId = kms.name + "/WebRtcEndpoint-4";
      assertEquals(villageId, kms.invoked(leadId, "connect").getJsonObject("operationParams").getString("sink"));
      assertEquals("v=0 offer", kms.invoked(leadId, "processOffer").getJsonObject("operationParams").getString("offer"));
      kms.invoked(leadId, "gatherCandidates");
      JsonObject added = kms.invoked(leadId, "addIceCandidate").getJsonObject("operationParams").getJsonObject("candidate");
      assertEquals("candidate:1 1 udp 2122260223 10.0.0.7 50000 typ host", added.getString("candidate"));
      assertEquals("0", added.getString("sdpMid"));
      assertEquals(0, added.getInteger("sdpMLineIndex"));
      JsonObject rec = creates.stream().filter(c -> "RecorderEndpoint".equals(c.getString("type"))).findFirst().orElseThrow();
      assertEquals(new JsonObject().put("mediaPipeline", pipelineId).put("uri", "http://10.0.0.5:8080/live/recordings/u/o/t")
          .put("mediaProfile", "WEBM"), rec.getJsonObject("constructorParams"));
      String recorderId = kms.params("invoke").stream().filter(p -> "record".equals(p.getString("operation"))).findFirst().orElseThrow()
          .getString("object");
      assertTrue(recorderId.startsWith(kms.name + "/RecorderEndpoint-"), recorderId);
      assertTrue(kms.params("invoke").stream().anyMatch(p -> leadId.equals(p.getString("object")) && "connect".equals(p.getString("operation"))
          && recorderId.equals(p.getJsonObject("operationParams").getString("sink"))), "the lead is recorded");
      kms.invoked(recorderId, "stopAndWait");
      assertEquals(pipelineId, kms.params("release").get(0).getString("object"), "the end releases the pipeline with everything in it");
    }
  }

  @Test
  void theTurnAndStunServersAreWrittenAsKurentoParsesThem() {
    TurnCredentials.Credential c = TurnCredentials.issue("s", "kms-room", Instant.parse("2026-12-01T00:00:00Z"), Duration.ofHours(1));
    // a host name is resolved (Kurento takes IPv4 addresses only); the port is always written
    Matcher byName = KMS_TURN_URL.matcher(KurentoBackend.turnUrl("turn:localhost", c));
    assertTrue(byName.matches(), KurentoBackend.turnUrl("turn:localhost", c));
    assertEquals("127.0.0.1", byName.group("address"));
    assertEquals("3478", byName.group("port"));
    assertEquals("udp", byName.group("transport"));
    assertEquals(c.username(), byName.group("user"));
    assertEquals(c.password(), byName.group("password"));
    Matcher tls = KMS_TURN_URL.matcher(KurentoBackend.turnUrl("turns:127.0.0.1", c));
    assertTrue(tls.matches());
    assertEquals("5349", tls.group("port"));
    assertEquals("tls", tls.group("transport"));
    Matcher tcp = KMS_TURN_URL.matcher(KurentoBackend.turnUrl("turn:127.0.0.1:443?transport=tcp", c));
    assertTrue(tcp.matches());
    assertEquals("443", tcp.group("port"));
    assertEquals("tcp", tcp.group("transport"));
    assertEquals(new KurentoBackend.HostPort("127.0.0.1", 3478), KurentoBackend.stunServer("stun:localhost"));
    assertEquals(new KurentoBackend.HostPort("10.0.0.1", 19302), KurentoBackend.stunServer("stun:10.0.0.1:19302"));
    assertThrows(IllegalStateException.class, () -> KurentoBackend.turnUrl("turn:no-such-host.invalid:3478", c));
  }

  @Test
  void roomsGoToTheServerWithFewestRoomsAndOneThatDoesNotAnswerIsPassedOver() throws Exception {
    ScriptedKms one = new ScriptedKms("one");
    ScriptedKms two = new ScriptedKms("two");
    int nobody;
    try (ServerSocket s = new ServerSocket(0)) {
      nobody = s.getLocalPort();
    }
    try (KurentoBackend backend = new KurentoBackend(List.of("ws://127.0.0.1:" + nobody + "/kurento", one.url(), two.url()), ice(null, null), clock)) {
      SfuBackend.Pipeline a = backend.pipeline(UUID.randomUUID());
      SfuBackend.Pipeline b = backend.pipeline(UUID.randomUUID());
      assertEquals(1, one.params("create").size(), "the first room on a server that answers");
      assertEquals(1, two.params("create").size(), "the second on the other, which had none");
      a.release();
      SfuBackend.Pipeline c = backend.pipeline(UUID.randomUUID());
      assertEquals(2, one.params("create").size(), "the third where a room was let go");
      assertTrue(backend.resting("ws://127.0.0.1:" + nobody + "/kurento"), "the server that did not answer rests a while");
      assertNotNull(b);
      assertNotNull(c);
    }
    assertThrows(IllegalStateException.class, () -> {
      try (KurentoBackend none = new KurentoBackend(List.of("ws://127.0.0.1:" + nobody + "/kurento"), ice(null, null), clock)) {
        none.pipeline(UUID.randomUUID());
      }
    });
  }
}
