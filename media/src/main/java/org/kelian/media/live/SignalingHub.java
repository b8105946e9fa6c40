package org.kelian.media.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.kelian.core.error.KelianException;
import org.kelian.core.live.LiveClaims;
import org.kelian.core.live.LiveRole;
import org.kelian.core.live.LiveService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signaling of the class rooms: JSON text messages over one connection per classroom, relayed only between peers of
 * the same room (one room per occurrence of a session). The first message is {@code join} with a room token; then:
 * <ul>
 *   <li>{@code offer}/{@code answer} {@code {to, sdp}} and {@code candidate} {@code {to, candidate}}: relayed to that
 *   peer with {@code from}. The peer that joins sends the offers to everyone already there (no glare); a peer that
 *   reconnects with {@code resume: true} still has its peer connections and restarts ICE on them.</li>
 *   <li>{@code state {audio, video, screen}}, {@code hand {raised}} (the lead may lower anyone's: {@code peer}),
 *   {@code chat {text}}: to everyone in the room, the sender included, with the server's time.</li>
 *   <li>lead only: {@code start}, {@code end} (the class ends for all), {@code remove {peer}} (that user cannot come
 *   back into this room).</li>
 *   <li>{@code ping} (answered {@code pong}; a connection silent for {@link Limits#idleMillis} is closed),
 *   {@code leave}.</li>
 * </ul>
 * The hub answers {@code welcome}, {@code peer-joined}, {@code peer-rejoined}, {@code peer-left}, {@code status},
 * {@code removed}, {@code replaced} and {@code error {code, message, messageEn}}. Every message is checked (JSON
 * object, size, known type, fields, rate); a bad one gets an error and changes nothing; a connection that keeps
 * flooding is closed; no message reaches another room.
 *
 * <p>Kurento mode ({@link SfuRooms}): instead of offers between peers, a page sends {@code media-offer {source, id?,
 * sdp}} for each stream it publishes (source: itself) or receives (source: a peer it may see), and
 * {@code media-candidate {source, candidate}}; the media server answers {@code media-answer {source, id, sdp}} and
 * {@code media-candidate {source, id, candidate}}.
 *
 * <p>Rooms live in this node's memory: one node serves a room (several nodes need the event bus: not done yet).
 */
public final class SignalingHub {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingHub.class);
  private static final Peer NO_SEAT = new Peer(null, null);
  /** How long a room trusts the occurrence status it read (a cancellation through the API shows within this). */
  private static final long STATUS_FRESH_NANOS = 5_000_000_000L;

  /** Bounds on what a connection may send. */
  public record Limits(int maxMessageChars, int ratePerSecond, int burst, int maxDropped, long joinTimeoutMillis, long idleMillis) {
    public static Limits defaults() {
      // An SDP with audio, video and a screen track is 5–15 KB; a browser trickles 10–30 candidates at once.
      return new Limits(64 * 1024, 30, 120, 300, 10_000, 30_000);
    }
  }

  // Close codes (4000–4999 are the application's).
  static final short CLOSE_UNAUTHORIZED = 4401;
  static final short CLOSE_FORBIDDEN = 4403;
  static final short CLOSE_ENDED = 4410;
  static final short CLOSE_FULL = 4429;
  static final short CLOSE_REPLACED = 4409;
  static final short CLOSE_REMOVED = 4404;
  static final short CLOSE_POLICY = 4008;
  static final short CLOSE_IDLE = 4000;

  private final LiveService live;
  private final Limits limits;
  /** Kurento mode: the media of each room goes through a media server; null for the browser mesh. */
  private final SfuRooms sfu;
  private final int seatLimit;
  /** Kurento mode with server-side recording; null otherwise (the lead's page records). */
  private final KurentoRecordings recordings;
  private final Map<UUID, Room> rooms = new ConcurrentHashMap<>();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  /** Participants whose connection dropped, keeping their place for the reconnect grace. */
  private final Set<Peer> away = ConcurrentHashMap.newKeySet();
  private final Vertx vertx;
  private final long sweeper;

  /** Browser mesh: every classroom connects to every other. */
  public SignalingHub(Vertx vertx, LiveService live, Limits limits) {
    this(vertx, live, limits, null, 0, null);
  }

  /**
   * With {@code sfu} (Kurento mode; null for the mesh) and the classrooms, and observers on top, one room then holds.
   * A participant of a large Kurento room negotiates a connection per classroom it receives: its burst of
   * offers and candidates grows with the room.
   */
  public SignalingHub(Vertx vertx, LiveService live, Limits limits, SfuRooms sfu, int sfuSeatLimit, KurentoRecordings recordings) {
    this.vertx = vertx;
    this.live = live;
    this.sfu = sfu;
    this.recordings = sfu == null ? null : recordings;
    this.seatLimit = sfu == null ? live.options().meshLimit() : sfuSeatLimit;
    this.limits = sfu == null ? limits
        : new Limits(limits.maxMessageChars(), limits.ratePerSecond(), Math.max(limits.burst(), 12 * seatLimit), limits.maxDropped() + 12 * seatLimit,
            limits.joinTimeoutMillis(), limits.idleMillis());
    this.sweeper = vertx.setPeriodic(Math.max(1000, limits.idleMillis() / 4), id -> sweep());
  }

  /** A new client connection; feed it the messages that arrive and tell it when the connection closes. */
  public Connection connect(Transport transport) {
    Connection c = new Connection(transport, Vertx.currentContext());
    connections.add(c);
    return c;
  }

  /** Lets every connection go ("server stopping"), with its leave recorded; completes when those are written. */
  public Future<Void> close() {
    vertx.cancelTimer(sweeper);
    List<Future<Void>> leaves = new ArrayList<>();
    for (Connection c : connections) {
      leaves.add(c.leaveRoom());
      c.gone = true;
      connections.remove(c);
      c.transport.close((short) 1001, "server stopping");
    }
    for (Peer p : away) {
      vertx.cancelTimer(p.awayTimer);
      leaves.add(p.connection.leaveRoom(p.awayAt));
    }
    away.clear();
    Future<Void> left = Future.join(leaves).mapEmpty();
    return sfu == null ? left : left.eventually(sfu::closeAll);
  }

  /** "sfu" (Kurento mode) or "mesh": how the pages of a room connect. */
  public String mode() {
    return sfu == null ? "mesh" : "sfu";
  }

  /** The media server records the classes (Kurento mode with KELIAN_KURENTO_RECORDING_BASE_URL); null otherwise. */
  public KurentoRecordings serverRecordings() {
    return recordings;
  }

  /** Most classrooms in one room (the mesh limit, or Kurento mode's), and most observers on top. */
  public int seatLimit() {
    return seatLimit;
  }

  /** The rooms with someone in them, for the observer wall. */
  public List<RoomView> rooms() {
    List<RoomView> out = new ArrayList<>();
    rooms.values().forEach(r -> {
      synchronized (r) {
        if (!r.peers.isEmpty()) {
          out.add(new RoomView(r.occurrenceId, r.sessionId, r.status, r.peers.values().stream().map(Peer::toJson).toList()));
        }
      }
    });
    return out;
  }

  /** Observers connected to the room of this occurrence on this node. */
  public int observers(UUID occurrenceId) {
    Room r = rooms.get(occurrenceId);
    if (r == null) {
      return 0;
    }
    synchronized (r) {
      return (int) r.count(false);
    }
  }

  /** A room as the observer wall lists it. */
  public record RoomView(UUID occurrenceId, UUID sessionId, String status, List<JsonObject> peers) {
    public JsonObject toJson() {
      return new JsonObject().put("occurrenceId", occurrenceId.toString()).put("sessionId", sessionId.toString()).put("status", status)
          .put("peers", new JsonArray(new ArrayList<>(peers)));
    }
  }

  /** Kurento mode: has the media server record the lead of a live class, once per room on this node. */
  private void record(Room r, LiveClaims lead) {
    if (recordings == null || lead.role() != LiveRole.LEAD) {
      return;
    }
    synchronized (r) {
      if (r.recordingAsked) {
        return;
      }
      r.recordingAsked = true;
    }
    // a media server first: while none answers, no recording resource is made for nothing
    sfu.ready(r.occurrenceId).compose(v -> recordings.start(lead)).compose(uri -> sfu.record(r.occurrenceId, lead.userId().toString(), uri)).onFailure(e -> {
      if (e instanceof KelianException k && "recording_off".equals(k.code())) {
        return; // the session is set not to be recorded
      }
      LOG.warn("the media server does not record room {}: {}", r.occurrenceId, e.toString());
      synchronized (r) {
        r.recordingAsked = false; // the next start or entry of the lead tries again
      }
    });
  }

  /** Closes connections that never joined or went silent, each on its own event loop (their state is not shared). */
  private void sweep() {
    long now = System.currentTimeMillis();
    for (Connection c : connections) {
      if (c.context == null) {
        c.sweep(now);
      } else {
        c.context.runOnContext(v -> c.sweep(now));
      }
    }
  }

  private static final class Room {
    final UUID occurrenceId;
    final UUID sessionId;
    final Map<UUID, Peer> peers = new LinkedHashMap<>();
    final Set<UUID> removed = new HashSet<>();
    String status;
    long statusReadAt;
    /** Kurento mode: the media server was asked to record this class (once per room on this node). */
    boolean recordingAsked;

    /** The status when it was read or set within the last few seconds and the class can still be entered; else null. */
    synchronized String recentStatus() {
      boolean enterable = "scheduled".equals(status) || "live".equals(status);
      return enterable && System.nanoTime() - statusReadAt < STATUS_FRESH_NANOS ? status : null;
    }

    Room(UUID occurrenceId, UUID sessionId) {
      this.occurrenceId = occurrenceId;
      this.sessionId = sessionId;
    }

    void broadcast(String text, Peer except) {
      for (Peer p : peers.values()) {
        if (p != except) {
          p.connection.transport.send(text);
        }
      }
    }

    long count(boolean publishers) {
      return peers.values().stream().filter(p -> p.claims.role().publishes() == publishers).count();
    }
  }

  private static final class Peer {
    final LiveClaims claims;
    final Connection connection;
    boolean audio = true;
    boolean video = true;
    boolean screen;
    boolean hand;
    Future<UUID> attendance;
    /** When its connection dropped, while it keeps its place for the reconnect grace; null while connected. */
    volatile Instant awayAt;
    long awayTimer;

    Peer(LiveClaims claims, Connection connection) {
      this.claims = claims;
      this.connection = connection;
    }

    String id() {
      return claims.userId().toString();
    }

    JsonObject toJson() {
      return new JsonObject().put("peerId", id()).put("role", claims.role().wire()).put("name", claims.displayName())
          .put("schoolId", claims.schoolId() == null ? null : claims.schoolId().toString())
          .put("classroomId", claims.classroomId() == null ? null : claims.classroomId().toString())
          .put("audio", audio).put("video", video).put("screen", screen).put("hand", hand).put("away", awayAt != null);
    }
  }

  /** One client connection: waits for its join, then relays within its room. */
  public final class Connection {
    private final Transport transport;
    private final long openedAt = System.currentTimeMillis();
    private volatile long lastSeen = openedAt;
    private boolean joining;
    private boolean gone;
    private Peer peer;
    private Room room;
    // token bucket
    private double tokens = limits.burst();
    private long refilledAt = System.nanoTime();
    private int dropped;
    private long lastRateError;

    private final io.vertx.core.Context context;

    private Connection(Transport transport, io.vertx.core.Context context) {
      this.transport = transport;
      this.context = context;
    }

    private void sweep(long now) {
      if (gone) {
        return;
      }
      if (peer == null && !joining && now - openedAt > limits.joinTimeoutMillis()) {
        refuse(CLOSE_UNAUTHORIZED, new SignalError("join_timeout", "连接后未及时加入课堂", "No join message came in time"));
      } else if (now - lastSeen > limits.idleMillis()) {
        transport.close(CLOSE_IDLE, "no heartbeat");
        closed();
      }
    }

    public void onText(String text) {
      lastSeen = System.currentTimeMillis();
      if (gone) {
        return;
      }
      if (!allowed()) {
        return;
      }
      if (text.length() > limits.maxMessageChars()) {
        error(new SignalError("too_large", "消息过大（上限 " + limits.maxMessageChars() / 1024 + " KB）",
            "Message too large (at most " + limits.maxMessageChars() / 1024 + " KB)"), null);
        return;
      }
      JsonObject m;
      try {
        Object parsed = io.vertx.core.json.Json.decodeValue(text);
        if (!(parsed instanceof JsonObject o)) {
          error(new SignalError("malformed", "消息应为 JSON 对象", "A message is a JSON object"), null);
          return;
        }
        m = o;
      } catch (DecodeException e) {
        error(new SignalError("malformed", "消息不是有效的 JSON", "The message is not valid JSON"), null);
        return;
      }
      Object type = m.getValue("type");
      if (!(type instanceof String t)) {
        error(new SignalError("malformed", "消息缺少 type", "The message has no type"), null);
        return;
      }
      try {
        handle(t, m);
      } catch (SignalRefusal r) {
        error(r.error, t);
      } catch (RuntimeException e) {
        // a bug must not take the room down: the sender hears of it, the others carry on
        LOG.warn("signaling message {} failed", t, e);
        error(new SignalError("internal", "服务器处理消息出错", "The server failed to handle the message"), t);
      }
    }

    /** A binary frame: signaling is text only. */
    public void onBinary() {
      lastSeen = System.currentTimeMillis();
      if (allowed()) {
        error(new SignalError("malformed", "信令只接受文本消息", "Signaling accepts text messages only"), null);
      }
    }

    /** The connection ended: closed by this side (the peer leaves now), or after this side let it go. */
    public void closed() {
      if (gone) {
        return;
      }
      gone = true;
      connections.remove(this);
      leaveRoom();
    }

    /**
     * The connection was closed or lost by the client's side (a page closed, a village link that dropped): the
     * participant keeps its place for the reconnect grace. Coming back within it with {@code resume}, it takes the place
     * back and everyone keeps their media connections to it; otherwise it leaves then, at the time it dropped.
     */
    public void lost() {
      if (gone) {
        return;
      }
      gone = true;
      connections.remove(this);
      Peer me = peer;
      long grace = live.options().reconnectGraceSeconds() * 1000L;
      if (me == null || room == null || grace == 0) {
        leaveRoom();
        return;
      }
      me.awayAt = live.now();
      away.add(me);
      me.awayTimer = vertx.setTimer(grace, t -> {
        away.remove(me);
        if (peer == me) {
          leaveRoom(me.awayAt);
        }
      });
    }

    private boolean allowed() {
      long now = System.nanoTime();
      tokens = Math.min(limits.burst(), tokens + (now - refilledAt) / 1e9 * limits.ratePerSecond());
      refilledAt = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      dropped++;
      if (dropped > limits.maxDropped()) {
        refuse(CLOSE_POLICY, new SignalError("flooding", "消息过多，连接已关闭", "Too many messages: connection closed"));
      } else if (now - lastRateError > 1_000_000_000L) {
        lastRateError = now;
        error(new SignalError("rate_limited", "消息太频繁，部分消息被丢弃（每秒最多 " + limits.ratePerSecond() + " 条）",
            "Too many messages: some were dropped (at most " + limits.ratePerSecond() + " a second)"), null);
      }
      return false;
    }

    private void handle(String type, JsonObject m) {
      if (type.equals("ping")) {
        send(new JsonObject().put("type", "pong"));
        return;
      }
      if (type.equals("join")) {
        join(m);
        return;
      }
      if (peer == null) {
        throw new SignalRefusal("not_joined", "请先加入课堂", "Join the room first");
      }
      switch (type) {
        case "offer", "answer" -> relay(m, type, "sdp", requireString(m, "sdp", 48 * 1024));
        case "candidate" -> relay(m, type, "candidate", candidate(m.getValue("candidate")));
        case "media-offer" -> mediaOffer(m);
        case "media-candidate" -> mediaCandidate(m);
        case "state" -> state(m);
        case "hand" -> hand(m);
        case "chat" -> chat(m);
        case "start" -> leadAction(live::startClass);
        case "end" -> leadAction(live::endClass);
        case "remove" -> remove(m);
        case "leave" -> {
          leaveRoom();
          transport.close((short) 1000, "left");
          closed();
        }
        default -> throw new SignalRefusal("unknown_type", "未知的消息类型：" + clip(type), "Unknown message type: " + clip(type));
      }
    }

    private void join(JsonObject m) {
      if (peer != null || joining) {
        throw new SignalRefusal("already_joined", "已经在课堂中", "Already in the room");
      }
      Object token = m.getValue("token");
      if (!(token instanceof String tk)) {
        throw new SignalRefusal("invalid_field", "字段 token 应为进入课堂时得到的令牌", "Field token is the token from entering the class");
      }
      boolean resume = Boolean.TRUE.equals(m.getValue("resume"));
      LiveClaims claims;
      try {
        claims = live.verify(tk);
      } catch (KelianException e) {
        refuse(CLOSE_UNAUTHORIZED, new SignalError(e.code(), e.messageZh(), e.messageEn()));
        return;
      }
      Room open = rooms.get(claims.occurrenceId());
      String known = open == null ? null : open.recentStatus();
      if (known != null) {
        // the room is open on this node and its status was read a moment ago: no database round trip per join
        // (a reconnect storm after a county network blip is a thousand of them)
        enter(claims, known, resume, 0);
        return;
      }
      joining = true;
      live.status(claims.occurrenceId()).onComplete(ar -> {
        joining = false;
        if (gone) {
          return;
        }
        if (ar.failed()) {
          refuse((short) 1011, new SignalError("unavailable", "暂时无法进入课堂，请稍后重试", "Cannot enter the room now: try again shortly"));
          return;
        }
        String status = ar.result();
        if (status == null || status.equals("ended") || status.equals("cancelled")) {
          refuse(CLOSE_ENDED, new SignalError("class_ended", "这节课已结束或已取消", "This class has ended or was cancelled"));
          return;
        }
        enter(claims, status, resume, System.nanoTime());
      });
    }

    /** {@code readAt}: when the status was read from the database (0 when the room's own recent status was used). */
    private void enter(LiveClaims claims, String status, boolean resume, long readAt) {
      Peer me = new Peer(claims, this);
      Peer old;
      Room seated;
      while (true) {
        Room r = rooms.computeIfAbsent(claims.occurrenceId(), id -> new Room(id, claims.sessionId()));
        synchronized (r) {
          if (rooms.get(claims.occurrenceId()) != r) {
            continue; // the last peer left and took the room away meanwhile: use the new one
          }
          old = seat(r, me, claims, status, resume, readAt);
          if (old == NO_SEAT) {
            return;
          }
          seated = r;
          break;
        }
      }
      if ("live".equals(seated.status)) {
        record(seated, claims); // the lead came (back) into a live class this node was not recording
      }
      if (old != null) {
        if (old.awayAt != null) {
          away.remove(old);
          vertx.cancelTimer(old.awayTimer);
        }
        old.connection.peer = null;
        old.connection.room = null;
        old.connection.send(new JsonObject().put("type", "replaced"));
        old.connection.transport.close(CLOSE_REPLACED, "joined again elsewhere");
        old.connection.closed();
        left(old, old.awayAt);
      }
      me.attendance = live.joined(claims);
      me.attendance.onFailure(e -> LOG.warn("attendance of {} not recorded: {}", claims.userId(), e.getMessage()));
    }

    /** Puts {@code me} into the room (holding its lock); returns the peer it replaces, null, or NO_SEAT when refused. */
    private Peer seat(Room r, Peer me, LiveClaims claims, String status, boolean resume, long readAt) {
      if (r.removed.contains(claims.userId())) {
        refuse(CLOSE_REMOVED, new SignalError("removed", "您已被主讲教师移出本节课", "The lead teacher removed you from this class"));
        return NO_SEAT;
      }
      Peer old = r.peers.get(claims.userId());
      int limit = seatLimit;
      if (old == null && r.count(claims.role().publishes()) >= limit) {
        refuse(CLOSE_FULL, claims.role().publishes()
            ? new SignalError("room_full", "本节课的教室已满（最多 " + limit + " 个）", "The class room is full (at most " + limit + " classrooms)")
            : new SignalError("room_full", "旁听人数已满（最多 " + limit + " 人）", "No more observers fit (at most " + limit + ")"));
        return NO_SEAT;
      }
      if (readAt > 0) {
        if (r.status == null || !r.status.equals("live")) {
          r.status = status;
        }
        r.statusReadAt = readAt;
      }
      if (old != null) {
        me.audio = old.audio;
        me.video = old.video;
        me.screen = old.screen;
        me.hand = old.hand;
      }
      r.peers.put(claims.userId(), me);
      peer = me;
      room = r;
      JsonArray others = new JsonArray();
      r.peers.values().stream().filter(p -> p != me).forEach(p -> others.add(p.toJson()));
      // resumed: this node still had the peer, so the others kept their connections to it (ICE restart will do);
      // otherwise (a new node, a restart) everyone starts those connections afresh
      send(new JsonObject().put("type", "welcome").put("you", me.toJson()).put("peers", others).put("status", r.status)
          .put("meshLimit", live.options().meshLimit()).put("mode", mode()).put("roomLimit", seatLimit).put("resumed", resume && old != null));
      r.broadcast(new JsonObject().put("type", old == null ? "peer-joined" : "peer-rejoined").put("peer", me.toJson())
          .put("resume", resume && old != null).encode(), me);
      return old;
    }

    private void relay(JsonObject m, String type, String field, Object value) {
      if (sfu != null) {
        // everything goes through the media server, as the room's topology allows (media-offer)
        throw new SignalRefusal("not_mesh", "本课堂的音视频经过媒体服务器，不能直连", "In this room media goes through the media server, not browser to browser");
      }
      Peer to = target(m, "to");
      to.connection.send(new JsonObject().put("type", type).put("from", peer.id()).put(field, value));
    }

    /**
     * Kurento mode: the page's offer for one flow, {@code source} its own id (publishing its camera and microphone)
     * or that of a participant it may receive; the media server's answer comes back as {@code media-answer}, its
     * candidates as {@code media-candidate}, each with the flow's {@code source}.
     */
    private void mediaOffer(JsonObject m) {
      String source = flowSource(m);
      String sdp = requireString(m, "sdp", 48 * 1024);
      // the page's name for this offer, echoed so that it can tell the answers of a connection it has since replaced
      Object id = m.getValue("id");
      if (id != null && !(id instanceof String tag && tag.length() <= 64)) {
        throw new SignalRefusal("invalid_field", "字段 id 应为不超过 64 个字符的文本", "Field id is text of at most 64 characters");
      }
      Peer me = peer;
      Room r = room;
      sfu.offer(r.occurrenceId, me.id(), source, sdp,
              c -> onLoop(() -> send(new JsonObject().put("type", "media-candidate").put("source", source).put("id", id).put("candidate", c))))
          .onComplete(ar -> onLoop(() -> {
            if (gone || peer != me) {
              return;
            }
            if (ar.succeeded()) {
              send(new JsonObject().put("type", "media-answer").put("source", source).put("id", id).put("sdp", ar.result()));
            } else {
              LOG.warn("media server refused the offer of {} for {} in room {}: {}", me.id(), source, r.occurrenceId, ar.cause().toString());
              error(new SignalError("media_unavailable", "媒体服务器暂时无法接通这路音视频，请稍后重试",
                  "The media server could not connect this stream: try again shortly"), "media-offer");
            }
          }));
    }

    private void mediaCandidate(JsonObject m) {
      String source = flowSource(m);
      JsonObject c = candidate(m.getValue("candidate"));
      if (c != null) {
        sfu.candidate(room.occurrenceId, peer.id(), source, c);
      }
    }

    /** The flow a Kurento-mode message is about: this peer's own, or a peer's this one may receive. */
    private String flowSource(JsonObject m) {
      if (sfu == null) {
        throw new SignalRefusal("not_sfu", "本课堂不经过媒体服务器（浏览器直连模式）", "This room does not use a media server (browser mesh)");
      }
      if (peer.id().equals(m.getValue("source"))) {
        if (!peer.claims.role().publishes()) {
          throw new SignalRefusal("observer", "旁听者不发布音视频", "Observers do not publish");
        }
        return peer.id();
      }
      Peer from = target(m, "source");
      if (!SfuRooms.maySee(peer.claims.role(), from.claims.role())) {
        throw new SignalRefusal("not_visible", "您不接收这位成员的音视频（接收教室只接收主讲教室，旁听者不发布）",
            "You do not receive this participant (receiving classrooms receive the lead only; observers do not publish)");
      }
      return from.id();
    }

    /** Runs on this connection's event loop (media server callbacks come from its own threads). */
    private void onLoop(Runnable r) {
      if (context == null) {
        r.run();
      } else {
        context.runOnContext(v -> r.run());
      }
    }

    private Peer target(JsonObject m, String field) {
      Object v = m.getValue(field);
      if (!(v instanceof String s) || s.length() > 64) {
        throw new SignalRefusal("invalid_field", "字段 " + field + " 应为本课堂中一位成员的编号", "Field " + field + " is the id of a peer in this room");
      }
      UUID id;
      try {
        id = UUID.fromString(s);
      } catch (IllegalArgumentException e) {
        throw new SignalRefusal("invalid_field", "字段 " + field + " 应为本课堂中一位成员的编号", "Field " + field + " is the id of a peer in this room");
      }
      synchronized (room) {
        Peer p = room.peers.get(id);
        if (p == null || p == peer) {
          throw new SignalRefusal("unknown_peer", "课堂中没有这位成员", "No such peer in this room");
        }
        return p;
      }
    }

    private void state(JsonObject m) {
      Boolean audio = optionalFlag(m, "audio");
      Boolean video = optionalFlag(m, "video");
      Boolean screen = optionalFlag(m, "screen");
      if (audio == null && video == null && screen == null) {
        throw new SignalRefusal("invalid_field", "state 消息应至少包含 audio、video 或 screen", "A state message has audio, video or screen");
      }
      synchronized (room) {
        if (audio != null) {
          peer.audio = audio;
        }
        if (video != null) {
          peer.video = video;
        }
        if (screen != null) {
          peer.screen = screen;
        }
        room.broadcast(new JsonObject().put("type", "state").put("peerId", peer.id()).put("audio", peer.audio).put("video", peer.video)
            .put("screen", peer.screen).encode(), null);
      }
    }

    private void hand(JsonObject m) {
      Boolean raised = optionalFlag(m, "raised");
      if (raised == null) {
        throw new SignalRefusal("invalid_field", "字段 raised 应为 true 或 false", "Field raised is true or false");
      }
      Peer whose = peer;
      if (m.containsKey("peer")) {
        if (peer.claims.role() != LiveRole.LEAD || raised) {
          throw new SignalRefusal("lead_only", "只有主讲教师可以放下别人的手", "Only the lead teacher lowers someone else's hand");
        }
        whose = target(m, "peer");
      } else if (peer.claims.role() == LiveRole.LEAD) {
        throw new SignalRefusal("invalid_field", "主讲教室不需要举手", "The lead classroom does not raise a hand");
      }
      synchronized (room) {
        whose.hand = raised;
        room.broadcast(new JsonObject().put("type", "hand").put("peerId", whose.id()).put("raised", raised).encode(), null);
      }
    }

    private void chat(JsonObject m) {
      String text = requireString(m, "text", 2000).strip();
      if (text.isEmpty() || text.codePointCount(0, text.length()) > 500) {
        throw new SignalRefusal("invalid_field", "聊天内容应为 1 到 500 个字", "A chat message has 1 to 500 characters");
      }
      synchronized (room) {
        room.broadcast(new JsonObject().put("type", "chat").put("from", peer.id()).put("name", peer.claims.displayName()).put("text", text)
            .put("at", Instant.now().toString()).encode(), null);
      }
    }

    private void leadAction(java.util.function.Function<LiveClaims, Future<String>> action) {
      if (peer.claims.role() != LiveRole.LEAD) {
        throw new SignalRefusal("lead_only", "只有主讲教室可以开始或结束课堂", "Only the lead classroom starts or ends the class");
      }
      Room r = room;
      LiveClaims lead = peer.claims;
      action.apply(lead).onComplete(ar -> {
        if (ar.failed()) {
          error(new SignalError("unavailable", "暂时无法更新课堂状态，请重试", "Could not update the class: try again"), null);
          return;
        }
        String status = ar.result();
        List<Peer> everyone;
        synchronized (r) {
          r.status = status;
          r.statusReadAt = System.nanoTime();
          r.broadcast(new JsonObject().put("type", "status").put("status", status).put("at", Instant.now().toString()).encode(), null);
          everyone = new ArrayList<>(r.peers.values());
          if ("ended".equals(status)) {
            r.peers.clear();
            rooms.remove(r.occurrenceId, r);
          }
        }
        if ("live".equals(status)) {
          record(r, lead);
        }
        if ("ended".equals(status) && sfu != null) {
          sfu.close(r.occurrenceId).onFailure(e -> LOG.warn("media of room {} not released: {}", r.occurrenceId, e.toString()));
        }
        if ("ended".equals(status)) {
          for (Peer p : everyone) {
            p.connection.peer = null;
            p.connection.room = null;
            p.connection.transport.close((short) 1000, "class ended");
            p.connection.closed();
            left(p, p.awayAt);
          }
        }
      });
    }

    private void remove(JsonObject m) {
      if (peer.claims.role() != LiveRole.LEAD) {
        throw new SignalRefusal("lead_only", "只有主讲教师可以请人离开", "Only the lead teacher removes a participant");
      }
      Peer target = target(m, "peer");
      synchronized (room) {
        room.removed.add(target.claims.userId());
      }
      target.connection.send(new JsonObject().put("type", "removed"));
      target.connection.leaveRoom(target.awayAt);
      target.connection.transport.close(CLOSE_REMOVED, "removed by the lead teacher");
      target.connection.closed();
    }

    private Future<Void> leaveRoom() {
      return leaveRoom(null);
    }

    /** Leaves the room; the attendance row says it left {@code at} (null: now). */
    private Future<Void> leaveRoom(Instant at) {
      Room r = room;
      Peer me = peer;
      if (r == null || me == null) {
        return Future.succeededFuture();
      }
      room = null;
      peer = null;
      synchronized (r) {
        if (r.peers.get(me.claims.userId()) == me) {
          r.peers.remove(me.claims.userId());
          r.broadcast(new JsonObject().put("type", "peer-left").put("peerId", me.id()).encode(), null);
          if (sfu != null) {
            sfu.left(r.occurrenceId, me.id()).onFailure(e -> LOG.warn("media of {} in room {} not released: {}", me.id(), r.occurrenceId, e.toString()));
          }
        }
        if (r.peers.isEmpty() && r.removed.isEmpty()) {
          rooms.remove(r.occurrenceId, r);
        }
      }
      return left(me, at);
    }

    private Future<Void> left(Peer p) {
      return left(p, null);
    }

    private Future<Void> left(Peer p, Instant at) {
      if (p.attendance == null) {
        return Future.succeededFuture();
      }
      return p.attendance.compose(id -> at == null ? live.left(id) : live.left(id, at)).onFailure(e -> LOG.warn("leave of {} not recorded: {}", p.claims.userId(), e.getMessage()))
          .otherwiseEmpty();
    }

    private void send(JsonObject m) {
      transport.send(m.encode());
    }

    private void error(SignalError e, String about) {
      send(new JsonObject().put("type", "error").put("code", e.code()).put("message", e.zh()).put("messageEn", e.en()).put("about", about));
    }

    private void refuse(short closeCode, SignalError e) {
      error(e, null);
      transport.close(closeCode, e.code());
      closed();
    }
  }

  /** A message refused with a reason; nothing changed. */
  private static final class SignalRefusal extends RuntimeException {
    final SignalError error;

    SignalRefusal(String code, String zh, String en) {
      super(code, null, false, false);
      this.error = new SignalError(code, zh, en);
    }
  }

  private static String requireString(JsonObject m, String field, int max) {
    Object v = m.getValue(field);
    if (!(v instanceof String s) || s.isEmpty() || s.length() > max) {
      throw new SignalRefusal("invalid_field", "字段 " + field + " 应为不超过 " + max + " 个字符的文本",
          "Field " + field + " is text of at most " + max + " characters");
    }
    return s;
  }

  private static Boolean optionalFlag(JsonObject m, String field) {
    Object v = m.getValue(field);
    if (v != null && !(v instanceof Boolean)) {
      throw new SignalRefusal("invalid_field", "字段 " + field + " 应为 true 或 false", "Field " + field + " is true or false");
    }
    return (Boolean) v;
  }

  /** An ICE candidate as RTCIceCandidateInit (only its known fields are passed on), or null for end-of-candidates. */
  private static JsonObject candidate(Object v) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject c)) {
      throw new SignalRefusal("invalid_field", "字段 candidate 应为 ICE 候选对象", "Field candidate is an ICE candidate object");
    }
    Object cand = c.getValue("candidate");
    Object mid = c.getValue("sdpMid");
    Object index = c.getValue("sdpMLineIndex");
    Object ufrag = c.getValue("usernameFragment");
    boolean ok = cand instanceof String s && s.length() <= 2048
        && (mid == null || mid instanceof String ms && ms.length() <= 64)
        && (index == null || index instanceof Integer i && i >= 0 && i < 256)
        && (ufrag == null || ufrag instanceof String us && us.length() <= 256);
    if (!ok) {
      throw new SignalRefusal("invalid_field", "字段 candidate 不是有效的 ICE 候选", "Field candidate is not a valid ICE candidate");
    }
    return new JsonObject().put("candidate", cand).put("sdpMid", mid).put("sdpMLineIndex", index).put("usernameFragment", ufrag);
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

}
