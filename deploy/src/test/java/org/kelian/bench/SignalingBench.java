package org.kelian.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.kelian.core.live.LiveClaims;
import org.kelian.core.live.LiveOptions;
import org.kelian.core.live.LiveRole;
import org.kelian.core.live.LiveTokens;
import org.kelian.deploy.Platform;
import org.kelian.it.Api;
import org.kelian.it.TestPlatform;

/**
 * Class-room signaling (issue #5 §6: 5,000 concurrent connections in 1,000 rooms of 5 on 2 cores; join-to-peer-list
 * p99 ≤ 100 ms; relay of 2,000 messages/s with p99 ≤ 20 ms; heap per idle connection ≤ 30 KB).
 *
 * <p>The platform runs on its own local stack; users, sessions and one occurrence per session (open now) are written
 * straight to the tables, and the room tokens are signed here with the platform's key from {@code platform_keys}: this
 * measures the signaling hub, not {@code POST /sessions/{id}/join}. The load generator lives in the same JVM, on a
 * Vert.x instance of its own: a {@link WebSocketClient} opening the connections 50 at a time, each sending
 * {@code join} and timing it to {@code welcome} (which carries the peer list); every connection sends {@code ping}
 * every 10 s as the room page does. Relay: offers (about 400-character SDP) and ICE candidates, alternating, from a
 * random peer to another peer of a random room, paced at 2,000 messages/s overall; each carries the sender's
 * {@code System.nanoTime()}, read back by the receiving client.
 *
 * <p>Baseline in the same run and JVM: a bare Vert.x WebSocket relay (one HTTP server, one event loop like the
 * platform's web verticle; no validation, no JSON parsing: it finds the {@code "to"} id by string search and forwards
 * the text unchanged; it answers join with a fixed welcome and ping with pong) under the same load from the same
 * client. Heap: used heap after full GCs, before opening and after all connections are joined and idle; both ends of
 * every connection live in this JVM, so the hub's figure is an upper bound of the server's share, and the baseline's
 * is what a bare Vert.x client plus server connection costs. The client side alone is measured too, against the bare
 * relay in a child JVM, and subtracted for the server's share.
 *
 * <p>Join latency twice: while opening all connections {@link #IN_FLIGHT} at a time (a closed loop: queueing in the
 * hub's PostgreSQL read shows there), and for {@link #PROBES} classrooms spread over the rooms reconnecting one at a
 * time while all others are connected (a page reloading in a full county).
 */
public final class SignalingBench {

  private static final int RATE = 2_000;
  private static final int RELAY_SECONDS = 30;
  private static final int WARM_SECONDS = 5;
  private static final int IN_FLIGHT = 50;
  private static final int PING_EVERY_MS = 10_000;
  private static final int PROBES = 200;
  private static final String SDP_TAIL = " 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0 1\\r\\n"
      + "a=msid-semantic: WMS kelian\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8\\r\\nc=IN IP4 0.0.0.0\\r\\n"
      + "a=ice-ufrag:Kx3b\\r\\na=ice-pwd:5c1Pq0dY8bm2cHvUjJtQk7Zl\\r\\na=fingerprint:sha-256 4F:1A:77:0C:9E:2B:D3:68:"
      + "AA:51:0F:C4:91:3E:B2:7D:60:08:E5:1C:2F:94:DB:33:7A:C6:58:0E:1B:F2:49:A7\\r\\na=setup:actpass\\r\\na=mid:0\\r\\n"
      + "a=sendrecv\\r\\na=rtpmap:111 opus/48000/2\\r\\nm=video 9 UDP/TLS/RTP/SAVPF 96 97\\r\\na=mid:1\\r\\n";

  /** One synthetic classroom: its user, token, room and place in the room. */
  record Seat(String userId, String token, int room, int slot) {
  }

  /** Where the clients connect: the platform's hub, or the bare relay. */
  record Target(String name, int port, boolean hub) {
    WebSocketConnectOptions options(Seat s) {
      return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI(hub ? "/live/signal" : "/relay?u=" + s.userId()).setConnectTimeout(30_000);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("bare-server")) {
      // the bare relay in a JVM of its own, for the heap of the client side alone; stops when its stdin closes
      Vertx vertx = Vertx.vertx();
      System.out.println("port " + bareRelay(vertx).actualPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the parent goes
      }
      System.exit(0);
    }
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rooms = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    if (connections % rooms != 0 || connections / rooms < 2 || connections / rooms > 16) {
      throw new IllegalArgumentException("connections must be rooms × 2..16");
    }
    int size = connections / rooms;
    System.out.println(Bench.header("class-room signaling benchmark"));
    System.out.println("load average at start: " + TranscodeBench.loadavg());
    // no reconnect grace: a closed connection leaves at once, as when the figures in RESULTS.md were measured (the
    // warm-up's connections would otherwise hold their places while the measured run opens the same seats)
    Platform platform = TestPlatform.start("benchsignaling", Map.of(LiveOptions.MESH_LIMIT.env(), Integer.toString(size),
        LiveOptions.RECONNECT_GRACE_SECONDS.env(), "0"));
    Vertx bareVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    int code = 0;
    try {
      Seat[] seats = seats(platform, connections, rooms, size);
      HttpServer bare = bareRelay(bareVertx);
      Target hub = new Target("hub", platform.port(), true);
      Target base = new Target("bare relay", bare.actualPort(), false);

      // warm-up of both sides (JIT, pools): a tenth of the connections, a short relay; nothing of it is reported
      int warm = Math.min(connections, Math.max(size, connections / 10 / size * size));
      for (Target t : List.of(base, hub)) {
        Run w = new Run(clientVertx, t, seats, warm, size);
        w.open();
        w.relay(WARM_SECONDS, false);
        w.close();
      }

      double clientOnly = clientHeap(clientVertx, seats, connections, size);
      Result rb = measure(clientVertx, base, seats, connections, size);
      Result rh = measure(clientVertx, hub, seats, connections, size);
      System.out.println("load average at end: " + TranscodeBench.loadavg());

      var rows = platform.pool().query("select count(*) as n, count(*) filter (where left_at is null) as open from live_attendance")
          .execute().await().iterator().next();
      System.out.printf("attendance rows written by the hub: %d (%d without a leave after the clients closed)%n",
          rows.getLong("n"), rows.getLong("open"));

      System.out.println();
      for (Result r : List.of(rb, rh)) {
        r.print();
      }
      System.out.println();
      double kbHub = rh.heapPerConnection() / 1024.0;
      double kbBase = rb.heapPerConnection() / 1024.0;
      double kbClient = clientOnly / 1024.0;
      System.out.printf("heap per idle connection: hub %.1f KB (client + server in this JVM: an upper bound of the server's share); "
          + "bare relay %.1f KB (client + bare Vert.x server); the hub's own above a bare Vert.x WebSocket %.1f KB%n", kbHub, kbBase, kbHub - kbBase);
      System.out.printf("  the client side alone (the bare relay in another JVM) %.1f KB; so the server's share: hub %.1f KB, bare Vert.x %.1f KB%n",
          kbClient, kbHub - kbClient, kbBase - kbClient);
      System.out.printf("ratios hub/bare: join p99 %.2f, relay p99 %.2f, relay p50 %.2f%n", rh.join.p99() / rb.join.p99(),
          rh.relay.p99() / rb.relay.p99(), rh.relay.p50() / rb.relay.p50());
      boolean all = rh.joined == connections && rh.unexpectedCloses.get() == 0 && rh.failed.get() == 0;
      System.out.println("targets (issue #5 §6), hub:");
      System.out.printf("  %d concurrent connections in %d rooms of %d, none refused or dropped: %s (%d joined, %d failed, %d closed by the server)%n",
          connections, rooms, size, met(all), rh.joined, rh.failed.get(), rh.unexpectedCloses.get());
      System.out.printf("  join-to-peer-list p99 ≤ 100 ms, opening all %d at a time: %.1f ms — %s (bare relay %.1f ms)%n", IN_FLIGHT,
          rh.join.p99(), met(rh.join.p99() <= 100), rb.join.p99());
      System.out.printf("  join-to-peer-list p99 ≤ 100 ms, one reconnecting at a time with all connected: %.1f ms — %s (bare relay %.1f ms)%n",
          rh.rejoin.p99(), met(rh.rejoin.p99() <= 100), rb.rejoin.p99());
      System.out.printf("  relay ≥ 2,000 messages/s: %.0f/s delivered — %s%n", rh.deliveredRate, met(rh.deliveredRate >= RATE * 0.99));
      System.out.printf("  relay p99 ≤ 20 ms: %.1f ms — %s%n", rh.relay.p99(), met(rh.relay.p99() <= 20));
      System.out.printf("  heap per idle connection ≤ 30 KB: %.1f KB (server's share; %.1f KB with the client's, an upper bound) — %s%n",
          kbHub - kbClient, kbHub, met(kbHub - kbClient <= 30));
    } catch (Throwable t) {
      t.printStackTrace();
      code = 1;
    } finally {
      clientVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      bareVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      platform.close();
    }
    System.exit(code);
  }

  private static String met(boolean ok) {
    return ok ? "met" : "NOT met";
  }

  /** Heap per idle connection of the client side alone: the same connections to the bare relay in a child JVM. */
  private static double clientHeap(Vertx clientVertx, Seat[] seats, int n, int size) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), SignalingBench.class.getName(), "bare-server").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("port ")) {
        // the child's own output
      }
      if (line == null) {
        throw new IllegalStateException("the bare relay in a child JVM did not start");
      }
      Run run = new Run(clientVertx, new Target("bare relay in another JVM", Integer.parseInt(line.substring(5)), false), seats, n, size);
      long before = usedHeap();
      long took = run.open();
      Thread.sleep(3_000);
      long after = usedHeap();
      System.out.printf("client side alone: %d of %d joined in %.1f s to the bare relay in another JVM; heap %.1f KB per idle connection%n",
          run.joined.get(), n, took / 1e9, (after - before) / (double) n / 1024);
      run.close();
      return (after - before) / (double) n;
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroy();
      }
    }
  }

  /** Opens all connections (heap before and after, idle), relays for the measured window, closes. */
  private static Result measure(Vertx clientVertx, Target t, Seat[] seats, int n, int size) throws Exception {
    Run run = new Run(clientVertx, t, seats, n, size);
    long before = usedHeap();
    long openNanos = run.open();
    Bench.Latency join = Bench.Latency.of(run.joinNanos(), run.joined.get());
    Thread.sleep(3_000); // idle: only pings
    long after = usedHeap();
    Bench.Latency rejoin = run.rejoins(Math.min(PROBES, n));
    double[] c0 = SearchBench.Cpu.seconds();
    long[] sentReceived = run.relay(RELAY_SECONDS, true);
    double[] c1 = SearchBench.Cpu.seconds();
    for (int k = 0; k < c1.length; k++) {
      c1[k] -= c0[k];
    }
    Result r = new Result(t.name(), n, run.joined.get(), run.failed, run.unexpectedCloses, run.errors, openNanos,
        join, rejoin, (after - before) / (double) n, sentReceived[0], sentReceived[1],
        sentReceived[1] / (double) RELAY_SECONDS, Bench.Latency.of(run.relayNanos, Math.min(run.relayNanos.length, run.relayCount.get())),
        SearchBench.Cpu.perRequest(c1, (int) Math.max(1, sentReceived[1])), run.notes);
    run.close();
    return r;
  }

  record Result(String name, int n, int joined, AtomicInteger failed, AtomicInteger unexpectedCloses, AtomicInteger errors, long openNanos,
                Bench.Latency join, Bench.Latency rejoin, double heapPerConnection, long sent, long received, double deliveredRate, Bench.Latency relay,
                String cpu, List<String> notes) {
    void print() {
      System.out.printf("%s: %d of %d connections joined in %.1f s (%d at a time), %d failed, %d closed by the server, %d error messages%n",
          name, joined, n, openNanos / 1e9, IN_FLIGHT, failed.get(), unexpectedCloses.get(), errors.get());
      System.out.println("  join → welcome (peer list), opening all, " + IN_FLIGHT + " at a time: " + join);
      System.out.println("  join → welcome (peer list), one classroom at a time reconnecting while all are connected: " + rejoin);
      System.out.printf("  heap per idle connection (client + server): %.1f KB%n", heapPerConnection / 1024);
      System.out.printf("  relay for %d s at %d/s: sent %d, received %d (%.0f/s), lost %d; send → receive %s%n", RELAY_SECONDS, RATE, sent,
          received, deliveredRate, sent - received, relay);
      System.out.println("  CPU per relayed message: " + cpu);
      synchronized (notes) {
        notes.stream().limit(8).forEach(s -> System.out.println("  ! " + s));
      }
    }
  }

  /** Users, one session per room with one occurrence open now, and a signed token per classroom. */
  private static Seat[] seats(Platform platform, int connections, int rooms, int size) {
    long t0 = System.nanoTime();
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    String school = admin.post("/api/v1/schools", new JsonObject().put("name", "信令基准学校").put("kind", "urban").put("regionCode", "371321"))
        .json().getString("id");
    String classroom = admin.post("/api/v1/classrooms", new JsonObject().put("schoolId", school).put("name", "录播室").put("kind", "recording")
        .put("capacity", 40)).json().getString("id");
    UUID schoolId = UUID.fromString(school);
    UUID classroomId = UUID.fromString(classroom);
    UUID[] users = new UUID[connections];
    List<Tuple> userRows = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      users[i] = UUID.randomUUID();
      userRows.add(Tuple.of(users[i], "sig" + i, "教室" + i));
    }
    for (int from = 0; from < connections; from += 1000) {
      platform.pool().preparedQuery("insert into users (id, username, display_name, password_hash, roles) values ($1, $2, $3, 'x', '{teacher}')")
          .executeBatch(userRows.subList(from, Math.min(connections, from + 1000))).await();
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    UUID[] sessions = new UUID[rooms];
    UUID[] occurrences = new UUID[rooms];
    List<Tuple> sessionRows = new ArrayList<>();
    List<Tuple> occurrenceRows = new ArrayList<>();
    for (int r = 0; r < rooms; r++) {
      sessions[r] = UUID.randomUUID();
      occurrences[r] = UUID.randomUUID();
      UUID lead = users[r * size];
      sessionRows.add(Tuple.tuple().addUUID(sessions[r]).addString("dedicated").addString("信令基准课" + r).addUUID(schoolId).addUUID(classroomId)
          .addUUID(lead).addString("音乐").addString("三年级").addString("participants").addString("logged_in").addUUID(lead));
      occurrenceRows.add(Tuple.of(occurrences[r], sessions[r], now.minusMinutes(10), now.plusHours(3)));
    }
    for (int from = 0; from < rooms; from += 1000) {
      int to = Math.min(rooms, from + 1000);
      platform.pool().preparedQuery("insert into class_sessions (id, type, title, lead_school_id, lead_classroom_id, lead_teacher_id, subject, "
          + "grade, live_audience, replay_audience, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
          .executeBatch(sessionRows.subList(from, to)).await();
      platform.pool().preparedQuery("insert into session_occurrences (id, session_id, starts_at, ends_at, original_starts_at) values ($1, $2, $3, $4, $3)")
          .executeBatch(occurrenceRows.subList(from, to)).await();
    }
    platform.pool().query("analyze").execute().await();
    byte[] key = platform.pool().preparedQuery("select secret from platform_keys where name = $1").execute(Tuple.of("live-room-token")).await()
        .iterator().next().getBuffer("secret").getBytes();
    LiveTokens tokens = new LiveTokens(key);
    Instant expires = Instant.now().plusSeconds(3600);
    Seat[] seats = new Seat[connections];
    for (int i = 0; i < connections; i++) {
      int r = i / size;
      LiveClaims claims = new LiveClaims(users[i], "教室" + i, sessions[r], occurrences[r], i % size == 0 ? LiveRole.LEAD : LiveRole.RECEIVER,
          null, null, expires);
      seats[i] = new Seat(users[i].toString(), tokens.sign(claims), r, i % size);
    }
    System.out.printf("wrote %d users, %d sessions with one occurrence open now, signed %d room tokens in %.1f s%n", connections, rooms, connections,
        (System.nanoTime() - t0) / 1e9);
    return seats;
  }

  /** The baseline: forwards a message to the connection whose user id follows {@code "to":"}, answers join and ping. */
  private static HttpServer bareRelay(Vertx vertx) {
    Map<String, ServerWebSocket> byUser = new ConcurrentHashMap<>();
    return vertx.createHttpServer().webSocketHandler(ws -> {
      String query = ws.query();
      String user = query == null ? "" : query.substring(query.indexOf('=') + 1);
      byUser.put(user, ws);
      ws.textMessageHandler(text -> {
        if (text.startsWith("{\"type\":\"ping\"")) {
          ws.writeTextMessage("{\"type\":\"pong\"}");
        } else if (text.startsWith("{\"type\":\"join\"")) {
          ws.writeTextMessage("{\"type\":\"welcome\",\"you\":{},\"peers\":[]}");
        } else {
          int at = text.indexOf("\"to\":\"");
          ServerWebSocket to = at < 0 || text.length() < at + 42 ? null : byUser.get(text.substring(at + 6, at + 42));
          if (to != null) {
            to.writeTextMessage(text);
          }
        }
      });
      ws.closeHandler(v -> byUser.remove(user, ws));
    }).listen(0, "127.0.0.1").await();
  }

  /** Used heap after full collections. */
  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(250);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** One client connection. */
  private static final class Conn {
    final int index;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile WebSocket ws;
    volatile boolean welcomed;
    volatile boolean replaced;
    long joinSent;
    java.util.concurrent.CompletableFuture<Long> probe;

    Conn(int index) {
      this.index = index;
    }
  }

  /** The first {@code n} classrooms connected to one target: opening, pings, relay, closing. */
  private static final class Run {
    final Target target;
    final Seat[] seats;
    final int n;
    final int size;
    final WebSocketClient client;
    final Vertx vertx;
    final Conn[] conns;
    final long[] joinLatency;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger joined = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger unexpectedCloses = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final List<String> notes = new ArrayList<>();
    final long[] relayNanos = new long[(RELAY_SECONDS + 2) * RATE];
    final AtomicInteger relayCount = new AtomicInteger();
    final AtomicLong receivedInWindow = new AtomicLong();
    volatile long windowStart = Long.MAX_VALUE;
    volatile long windowEnd = Long.MAX_VALUE;
    volatile boolean closing;
    CountDownLatch settledAll;
    long pinger = -1;
    int pingCursor;

    Run(Vertx vertx, Target target, Seat[] seats, int n, int size) {
      this.vertx = vertx;
      this.target = target;
      this.seats = seats;
      this.n = n;
      this.size = size;
      this.conns = new Conn[n];
      this.joinLatency = new long[n];
      this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(n + 100).setConnectTimeout(30_000));
    }

    long[] joinNanos() {
      long[] out = new long[joined.get()];
      int k = 0;
      for (int i = 0; i < n && k < out.length; i++) {
        if (conns[i] != null && conns[i].welcomed) {
          out[k++] = joinLatency[i];
        }
      }
      return out;
    }

    void note(String s) {
      synchronized (notes) {
        if (notes.size() < 50) {
          notes.add(target.name() + ": " + s);
        }
      }
    }

    /** Opens and joins all, {@link #IN_FLIGHT} at a time; the nanoseconds from the first connect to the last welcome. */
    long open() throws InterruptedException {
      settledAll = new CountDownLatch(n);
      // each connection pings every PING_EVERY_MS, spread over ticks of 100 ms
      pinger = vertx.setPeriodic(100, id -> {
        int per = Math.max(1, n * 100 / PING_EVERY_MS);
        for (int k = 0; k < per; k++) {
          Conn c = conns[pingCursor];
          pingCursor = (pingCursor + 1) % n;
          if (c != null && c.welcomed && !closing) {
            c.ws.writeTextMessage("{\"type\":\"ping\"}");
          }
        }
      });
      long t0 = System.nanoTime();
      for (int i = 0; i < IN_FLIGHT; i++) {
        lane();
      }
      if (!settledAll.await(10, TimeUnit.MINUTES)) {
        note("not every connection settled within 10 minutes");
      }
      return System.nanoTime() - t0;
    }

    private void lane() {
      int i = next.getAndIncrement();
      if (i < n) {
        connect(i);
      }
    }

    private void connect(int i) {
      connect(i, new Conn(i));
    }

    private void connect(int i, Conn c) {
      conns[i] = c;
      client.connect(target.options(seats[i])).onComplete(ar -> {
        if (ar.failed()) {
          settle(c, false, "connect failed: " + ar.cause());
          return;
        }
        WebSocket ws = ar.result();
        c.ws = ws;
        ws.textMessageHandler(text -> onText(c, text));
        ws.closeHandler(v -> {
          if (!closing && !c.replaced) {
            unexpectedCloses.incrementAndGet();
            note("connection " + i + " closed by the server: " + ws.closeStatusCode() + " " + ws.closeReason());
          }
          settle(c, false, "closed before its welcome");
        });
        ws.exceptionHandler(e -> note("connection " + i + ": " + e));
        c.joinSent = System.nanoTime();
        ws.writeTextMessage("{\"type\":\"join\",\"token\":\"" + seats[i].token() + "\"}");
      });
    }

    private void settle(Conn c, boolean ok, String why) {
      if (c.probe != null) {
        if (ok) {
          c.probe.complete(joinLatency[c.index]);
        } else {
          c.probe.completeExceptionally(new IllegalStateException(why));
        }
        return;
      }
      if (c.settled.compareAndSet(false, true)) {
        if (ok) {
          joined.incrementAndGet();
        } else {
          failed.incrementAndGet();
          note("connection " + c.index + ": " + why);
        }
        settledAll.countDown();
        lane();
      }
    }

    private void onText(Conn c, String text) {
      long now = System.nanoTime();
      if (text.startsWith("{\"type\":\"welcome\"")) {
        joinLatency[c.index] = now - c.joinSent;
        c.welcomed = true;
        settle(c, true, null);
      } else if (text.startsWith("{\"type\":\"offer\"") || text.startsWith("{\"type\":\"candidate\"")) {
        int at = text.indexOf("ts=");
        long ts = 0;
        for (int k = at + 3; at >= 0 && k < text.length() && Character.isDigit(text.charAt(k)); k++) {
          ts = ts * 10 + (text.charAt(k) - '0');
        }
        if (ts >= windowStart && ts < windowEnd) {
          receivedInWindow.incrementAndGet();
          int k = relayCount.getAndIncrement();
          if (k < relayNanos.length) {
            relayNanos[k] = now - ts;
          }
        }
      } else if (text.startsWith("{\"type\":\"error\"")) {
        errors.incrementAndGet();
        note("error to " + c.index + ": " + text);
      }
    }

    /**
     * Join latency without the queueing of a bulk opening: spread over the rooms, one classroom at a time closes its
     * connection and joins again on a new one (a page reloading), with all the others connected.
     */
    Bench.Latency rejoins(int count) throws Exception {
      long[] out = new long[count];
      int k = 0;
      for (int p = 0; p < count; p++) {
        int i = (int) ((long) p * n / count);
        Conn old = conns[i];
        if (old == null || !old.welcomed) {
          continue;
        }
        old.replaced = true;
        old.ws.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Conn c = new Conn(i);
        c.probe = new java.util.concurrent.CompletableFuture<>();
        connect(i, c);
        try {
          out[k++] = c.probe.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          note("rejoin of " + i + ": " + e);
          k--;
        }
      }
      return Bench.Latency.of(out, k);
    }

    /** Relays at {@link #RATE} for this long from the calling thread; measured: {sent, received} in the window. */
    long[] relay(int seconds, boolean measured) throws InterruptedException {
      Random rnd = new Random(5);
      int rooms = n / size;
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      if (measured) {
        windowStart = start;
        windowEnd = end;
      }
      long sent = 0;
      long skipped = 0;
      long now;
      while ((now = System.nanoTime()) < end) {
        long due = (now - start) * RATE / 1_000_000_000L;
        while (sent < due) {
          int room = rnd.nextInt(rooms);
          int from = rnd.nextInt(size);
          int to = (from + 1 + rnd.nextInt(size - 1)) % size;
          Conn c = conns[room * size + from];
          String toId = seats[room * size + to].userId();
          if (c == null || !c.welcomed) {
            skipped++;
          } else {
            long ts = System.nanoTime();
            c.ws.writeTextMessage((sent & 1) == 0
                ? "{\"type\":\"offer\",\"to\":\"" + toId + "\",\"sdp\":\"v=0\\r\\no=- ts=" + ts + SDP_TAIL + "\"}"
                : "{\"type\":\"candidate\",\"to\":\"" + toId + "\",\"candidate\":{\"candidate\":\"candidate:842163049 1 udp 1677729535 "
                + "203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154 generation 0 ts=" + ts + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
          }
          sent++;
        }
        LockSupport.parkNanos(500_000);
      }
      Thread.sleep(3_000); // stragglers
      if (skipped > 0) {
        note(skipped + " relay messages not sent: sender not joined");
      }
      return new long[] {sent - skipped, receivedInWindow.get()};
    }

    void close() throws Exception {
      closing = true;
      vertx.cancelTimer(pinger);
      List<Future<Void>> closed = new ArrayList<>();
      for (Conn c : conns) {
        if (c != null && c.ws != null && !c.ws.isClosed()) {
          closed.add(c.ws.close());
        }
      }
      try {
        Future.join(closed).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        note("closing: " + e);
      }
      client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      Thread.sleep(2_000); // the hub writes the leaves
    }
  }
}
