package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.live.LiveService;
import org.kelian.core.live.LiveRole;
import org.kelian.core.upload.Upload;
import org.kelian.media.live.IceServers;
import org.kelian.media.live.KurentoRecordings;
import org.kelian.media.live.LiveHls;
import org.kelian.media.live.SignalingHub;
import org.kelian.media.live.Transport;

/**
 * Class rooms: entering one ({@code POST /sessions/{id}/join}: token, role, ICE servers, signaling URL, mode), the
 * attendance of an occurrence, the rooms open now (observer wall), and the signaling WebSocket at
 * {@code /live/signal}, which authenticates by the room token of its first message rather than by cookie.
 */
final class LiveEndpoint {

  static final String SIGNALING_PATH = "/live/signal";

  private final LiveService live;
  private final SignalingHub hub;
  private final IceServers ice;
  private final LiveHls liveHls;

  LiveEndpoint(LiveService live, SignalingHub hub, IceServers ice, LiveHls liveHls) {
    this.live = live;
    this.hub = hub;
    this.ice = ice;
    this.liveHls = liveHls;
  }

  /** The WebSocket, before authentication by cookie or bearer token. */
  void publicRoutes(Router r) {
    r.get(SIGNALING_PATH).handler(ctx -> {
      String upgrade = ctx.request().getHeader("Upgrade");
      if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
        ctx.fail(KelianException.invalid("websocket_expected", "这里只接受 WebSocket 连接（课堂信令）",
            "Only WebSocket connections are accepted here (class room signaling)"));
        return;
      }
      ctx.request().toWebSocket().onSuccess(this::signaling).onFailure(ctx::fail);
    });
    // Kurento mode: the media server POSTs a class recording here (authorized by the tag in the address)
    r.post(KurentoRecordings.PATH + ":upload/:owner/:tag").handler(ctx -> {
      ctx.request().pause();
      KurentoRecordings recordings = hub.serverRecordings();
      Future<Upload> received;
      try {
        if (recordings == null) {
          throw KelianException.notFound("recording_not_found", "没有这份课堂录制", "No such class recording");
        }
        received = recordings.receive(Validate.uuid(ctx.pathParam("upload"), "upload"), Validate.uuid(ctx.pathParam("owner"), "owner"),
            ctx.pathParam("tag"), ctx.request());
      } catch (RuntimeException e) {
        received = Future.failedFuture(e);
      }
      received.onSuccess(u -> ctx.json(new JsonObject().put("uploadId", u.id().toString()).put("resourceId", u.resourceId().toString())
          .put("bytes", u.offset())))
          .onFailure(e -> {
            if (!ctx.request().isEnded()) {
              ctx.request().resume();
            }
            ctx.fail(e);
          });
    });
  }

  void routes(Router r) {
    r.post("/api/v1/sessions/:id/join").handler(ctx -> Http.json(ctx, 200,
        () -> live.join(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")),
        ticket -> {
          // an open class's viewers beyond what the room holds watch the live stream made from the lead's recording
          boolean stream = LiveService.OPEN_CLASS.equals(ticket.sessionType()) && ticket.claims().role() == LiveRole.OBSERVER
              && hub.observers(ticket.claims().occurrenceId()) >= hub.seatLimit();
          JsonObject out = ticket.toJson().put("iceServers", ice.forUser(ticket.claims().userId().toString(), live.now()))
              .put("iceExpiresAt", ice.expiresAt(live.now()).toString())
              // the same as a lifetime, for pages whose clock is not the server's: they renew before it runs out
              .put("iceTtlSeconds", ice.ttlSeconds())
              .put("iceTransportPolicy", ice.transportPolicy())
              // Kurento mode with server-side recording: the media server records, not the lead's page
              .put("recordingBy", hub.serverRecordings() != null ? "server" : "page")
              .put("signalingUrl", signalingUrl(ctx)).put("mode", stream ? "hls" : hub.mode()).put("roomLimit", hub.seatLimit());
          return stream ? out.put("hlsUrl", "/api/v1/sessions/" + ticket.claims().sessionId() + "/live/index.m3u8") : out;
        }));
    r.get("/api/v1/sessions/:id/live/:file").handler(ctx -> {
      String name = ctx.pathParam("file");
      Http.handle(ctx, () -> live.watchable(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), occurrence -> {
        java.nio.file.Path f = liveHls.file(occurrence, name).orElseThrow(() -> KelianException.notFound("live_stream_not_ready",
            "直播流尚未开始（主讲教室开始上课并录制后约十秒可看）", "The live stream has not started yet (about ten seconds after the lead starts the class and records)"));
        boolean playlist = name.endsWith(".m3u8");
        ctx.response().putHeader("Content-Type", playlist ? "application/vnd.apple.mpegurl" : "video/mp2t")
            .putHeader("Cache-Control", playlist ? "no-cache" : "private, max-age=60").sendFile(f.toString());
        return null;
      });
    });
    r.get("/api/v1/sessions/:id/occurrences/:occurrenceId/attendance").handler(ctx -> Http.json(ctx, 200,
        () -> live.attendance(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id"), Validate.uuid(ctx.pathParam("occurrenceId"), "occurrenceId")),
        list -> {
          JsonArray items = new JsonArray();
          list.forEach(a -> items.add(new JsonObject().put("userId", a.userId().toString()).put("displayName", a.displayName())
              .put("role", a.role().wire()).put("schoolId", a.schoolId() == null ? null : a.schoolId().toString())
              .put("classroomId", a.classroomId() == null ? null : a.classroomId().toString())
              .put("joinedAt", a.joinedAt().toString()).put("leftAt", a.leftAt() == null ? null : a.leftAt().toString())));
          return new JsonObject().put("items", items);
        }));
    r.post("/api/v1/sessions/:id/recordings").handler(ctx -> Http.json(ctx, 201,
        () -> live.startRecording(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), res -> {
          ctx.response().putHeader("Location", "/api/v1/resources/" + res.id());
          return res.toJson();
        }));
    r.get("/api/v1/live/today").handler(ctx -> Http.json(ctx, 200, () -> live.today(Http.user(ctx)), entries -> {
      JsonArray items = new JsonArray();
      entries.forEach(e -> items.add(e.toJson().put("opensAt", e.startsAt().minusMinutes(live.options().openBeforeMinutes()).toString())));
      return new JsonObject().put("date", live.today()).put("items", items);
    }));
    r.get("/api/v1/live/rooms").handler(ctx -> {
      User u = Http.user(ctx);
      if (!u.has(Role.DISTRICT_ADMIN) && !u.has(Role.SCHOOL_ADMIN)) {
        ctx.fail(KelianException.forbidden());
        return;
      }
      JsonArray items = new JsonArray();
      hub.rooms().forEach(room -> items.add(room.toJson()));
      ctx.json(new JsonObject().put("items", items));
    });
  }

  private void signaling(ServerWebSocket ws) {
    SignalingHub.Connection c = hub.connect(new Transport() {
      @Override
      public void send(String text) {
        if (!ws.isClosed()) {
          ws.writeTextMessage(text);
        }
      }

      @Override
      public void close(short code, String reason) {
        if (!ws.isClosed()) {
          ws.close(code, reason);
        }
      }
    });
    ws.textMessageHandler(c::onText);
    ws.binaryMessageHandler(b -> c.onBinary());
    // closed or lost from the client's side: the classroom keeps its place for the reconnect grace
    ws.closeHandler(v -> c.lost());
    ws.exceptionHandler(e -> c.lost());
  }

  /** ws:// or wss:// on the host the client used (behind a TLS proxy, X-Forwarded-Proto says https). */
  private static String signalingUrl(RoutingContext ctx) {
    String proto = ctx.request().getHeader("X-Forwarded-Proto");
    boolean secure = proto != null ? proto.equalsIgnoreCase("https") : ctx.request().isSSL();
    String host = ctx.request().authority() == null ? "localhost" : ctx.request().authority().toString();
    return (secure ? "wss://" : "ws://") + host + SIGNALING_PATH;
  }
}
