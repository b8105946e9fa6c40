package org.kelian.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.kelian.deploy.Platform;
import org.kelian.it.Api;
import org.kelian.it.TestPlatform;

/**
 * The conflict check of one new session (issue #4 §7: p99 ≤ 5 ms with 20,000 sessions in the term), measured
 * through {@code POST /api/v1/sessions/check} as the create form calls it, against the same check on an empty
 * schedule in the same run. A generated county: 14 urban schools, 50 rural schools, 20 teaching sites, two
 * classrooms each, 300 teachers; the sessions are written straight to the tables (their own creation is not
 * what is measured) over the weekdays of a 20-week term, 08:00–17:00.
 */
public final class ScheduleBench {

  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int checks = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    System.out.println(Bench.header("schedule conflict-check benchmark"));
    Platform platform = TestPlatform.start("benchschedule");
    try {
      Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Random rnd = new Random(4);
      List<UUID> schools = new ArrayList<>();
      List<UUID> rooms = new ArrayList<>();
      List<UUID> roomSchool = new ArrayList<>();
      for (int i = 0; i < 84; i++) {
        String kind = i < 14 ? "urban" : i < 64 ? "rural" : "teaching_site";
        String id = admin.post("/api/v1/schools", new JsonObject().put("name", "学校" + i).put("kind", kind).put("regionCode", "371321"))
            .json().getString("id");
        schools.add(UUID.fromString(id));
        for (int r = 0; r < 2; r++) {
          rooms.add(UUID.fromString(admin.post("/api/v1/classrooms", new JsonObject().put("schoolId", id).put("name", "教室" + r)
              .put("kind", r == 0 ? "recording" : "ordinary").put("capacity", 40)).json().getString("id")));
          roomSchool.add(UUID.fromString(id));
        }
      }
      List<UUID> teachers = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        UUID id = UUID.randomUUID();
        platform.pool().preparedQuery("insert into users (id, username, display_name, password_hash, roles, school_id) values ($1, $2, $3, 'x', '{teacher}', $4)")
            .execute(Tuple.of(id, "t" + i, "教师" + i, schools.get(i % 14))).await();
        teachers.add(id);
      }
      String term = admin.post("/api/v1/terms", new JsonObject().put("name", "基准学期").put("startsOn", "2027-02-22").put("endsOn", "2027-07-09"))
          .json().getString("id");
      LocalDate monday = LocalDate.of(2027, 2, 22);

      JsonObject probe = new JsonObject().put("type", "master_teacher").put("subject", "音乐").put("grade", "三年级");
      long[] empty = measure(admin, probe, schools, rooms, roomSchool, teachers, monday, rnd, Math.max(200, checks / 4));

      long t0 = System.nanoTime();
      UUID[] ids = new UUID[sessions];
      List<Tuple> sessionRows = new ArrayList<>();
      List<Tuple> occurrenceRows = new ArrayList<>();
      List<Tuple> resourceRows = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        ids[i] = UUID.randomUUID();
        int room = rnd.nextInt(rooms.size());
        UUID school = roomSchool.get(room);
        UUID teacher = teachers.get(rnd.nextInt(teachers.size()));
        LocalDate day = monday.plusWeeks(rnd.nextInt(20)).plusDays(rnd.nextInt(5));
        LocalTime start = LocalTime.of(8, 0).plusMinutes(10L * rnd.nextInt(50));
        sessionRows.add(Tuple.tuple().addUUID(ids[i]).addString("research").addString("基准课" + i).addUUID(school).addUUID(rooms.get(room))
            .addUUID(teacher).addString("音乐").addString("三年级").addString("participants").addString("logged_in").addUUID(teachers.get(0)));
        occurrenceRows.add(Tuple.of(UUID.randomUUID(), ids[i], day.atTime(start).atZone(ZONE).toOffsetDateTime(),
            day.atTime(start.plusMinutes(40)).atZone(ZONE).toOffsetDateTime()));
        resourceRows.add(Tuple.of(ids[i], "teacher", teacher, school));
        resourceRows.add(Tuple.of(ids[i], "classroom", rooms.get(room), school));
      }
      for (int from = 0; from < sessions; from += 1000) {
        int to = Math.min(sessions, from + 1000);
        platform.pool().preparedQuery("insert into class_sessions (id, type, title, lead_school_id, lead_classroom_id, lead_teacher_id, subject, "
            + "grade, live_audience, replay_audience, created_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .executeBatch(sessionRows.subList(from, to)).await();
        platform.pool().preparedQuery("insert into session_occurrences (id, session_id, starts_at, ends_at, original_starts_at) values ($1, $2, $3, $4, $3)")
            .executeBatch(occurrenceRows.subList(from, to)).await();
        platform.pool().preparedQuery("insert into session_resources (session_id, kind, resource_id, school_id) values ($1, $2, $3, $4) "
            + "on conflict do nothing").executeBatch(resourceRows.subList(2 * from, 2 * to)).await();
      }
      platform.pool().query("analyze").execute().await();
      System.out.printf("wrote %d sessions in %.1f s (term %s)%n", sessions, (System.nanoTime() - t0) / 1e9, term);

      long[] full = measure(admin, probe, schools, rooms, roomSchool, teachers, monday, rnd, checks);
      var store = new org.kelian.core.schedule.ScheduleStore(platform.pool());
      List<Probe> probes = probes(rooms, roomSchool, teachers, monday, rnd, checks);
      long[] query = measureQuery(store, probes, checks);
      long[] onLoop = measureQueryOnLoop(platform, store, probes, checks);
      Bench.Latency e = Bench.Latency.of(empty, empty.length);
      Bench.Latency f = Bench.Latency.of(full, full.length);
      Bench.Latency q = Bench.Latency.of(query, query.length);
      Bench.Latency l = Bench.Latency.of(onLoop, onLoop.length);
      System.out.println("POST /sessions/check, empty schedule : " + e);
      System.out.println("POST /sessions/check, " + sessions + " sessions: " + f);
      System.out.println("conflict query alone, " + sessions + " sessions: " + q + "  (target p99 ≤ 5 ms)");
      System.out.println("  the same on an event loop          : " + l + "  (no thread hand-off in the figure)");
      System.out.printf("p99 ratio full/empty (HTTP) %.2f; the HTTP check's p99 is %.1f× the query's%n", f.p99() / e.p99(), f.p99() / q.p99());
    } finally {
      platform.close();
    }
  }

  /** One conflict lookup's input: a random single session of one teacher in one room. */
  private record Probe(org.kelian.core.schedule.ClassSession session, List<org.kelian.core.schedule.ScheduleStore.Resource> resources) {
  }

  /** {@code n} lookups after {@code n / 4} of warm-up, drawn as the HTTP checks are. */
  private static List<Probe> probes(List<UUID> rooms, List<UUID> roomSchool, List<UUID> teachers, LocalDate monday, Random rnd, int n) {
    List<Probe> out = new ArrayList<>();
    for (int i = -n / 4; i < n; i++) {
      int room = rnd.nextInt(rooms.size());
      UUID teacher = teachers.get(rnd.nextInt(teachers.size()));
      LocalDate day = monday.plusWeeks(rnd.nextInt(20)).plusDays(rnd.nextInt(5));
      LocalTime start = LocalTime.of(8, 0).plusMinutes(10L * rnd.nextInt(50));
      var occurrence = new org.kelian.core.schedule.ClassSession.Occurrence(UUID.randomUUID(), day.atTime(start).atZone(ZONE).toOffsetDateTime(),
          day.atTime(start.plusMinutes(40)).atZone(ZONE).toOffsetDateTime(), "scheduled", null, null);
      var session = new org.kelian.core.schedule.ClassSession(UUID.randomUUID(), "research", "x", roomSchool.get(room), rooms.get(room), teacher,
          null, "音乐", "三年级", null, null, false, true, true, true, "participants", "logged_in", null, null, List.of(), List.of(occurrence));
      out.add(new Probe(session, List.of(new org.kelian.core.schedule.ScheduleStore.Resource("teacher", teacher, roomSchool.get(room)),
          new org.kelian.core.schedule.ScheduleStore.Resource("classroom", rooms.get(room), roomSchool.get(room)))));
    }
    return out;
  }

  /**
   * The conflict lookup itself (what the create form's check and the insert share), straight on the store, each
   * awaited from this (non-Vert.x) thread: the figure includes waking this thread when the answer arrives.
   */
  private static long[] measureQuery(org.kelian.core.schedule.ScheduleStore store, List<Probe> probes, int n) {
    int warmUp = probes.size() - n;
    long[] out = new long[probes.size() - warmUp];
    for (int i = 0; i < probes.size(); i++) {
      Probe p = probes.get(i);
      long t = System.nanoTime();
      store.conflicts(p.session(), p.resources(), 30).await();
      if (i >= warmUp) {
        out[i - warmUp] = System.nanoTime() - t;
      }
    }
    return out;
  }

  /**
   * The same lookups one after the other on an event loop, as the API calls them: each timed from the call to its
   * answer's callback, without a thread hand-off in the figure.
   */
  private static long[] measureQueryOnLoop(Platform platform, org.kelian.core.schedule.ScheduleStore store, List<Probe> probes, int n) {
    int warmUp = probes.size() - n;
    long[] out = new long[probes.size() - warmUp];
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    io.vertx.core.Context context = platform.vertx().getOrCreateContext();
    context.runOnContext(v -> next(store, probes, 0, warmUp, out, done));
    done.future().await();
    return out;
  }

  private static void next(org.kelian.core.schedule.ScheduleStore store, List<Probe> probes, int i, int warmUp, long[] out,
                           io.vertx.core.Promise<Void> done) {
    if (i == probes.size()) {
      done.complete();
      return;
    }
    Probe p = probes.get(i);
    long t = System.nanoTime();
    store.conflicts(p.session(), p.resources(), 30).onComplete(ar -> {
      long took = System.nanoTime() - t;
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      if (i >= warmUp) {
        out[i - warmUp] = took;
      }
      next(store, probes, i + 1, warmUp, out, done);
    });
  }

  /** Conflict checks of random single sessions (some clash, most do not), after a warm-up; nanoseconds each. */
  private static long[] measure(Api admin, JsonObject probe, List<UUID> schools, List<UUID> rooms, List<UUID> roomSchool, List<UUID> teachers,
                                LocalDate monday, Random rnd, int n) {
    long[] out = new long[n];
    int conflicts = 0;
    for (int i = -n / 4; i < n; i++) {
      int room = rnd.nextInt(rooms.size());
      LocalDate day = monday.plusWeeks(rnd.nextInt(20)).plusDays(rnd.nextInt(5));
      LocalTime start = LocalTime.of(8, 0).plusMinutes(10L * rnd.nextInt(50));
      JsonObject body = probe.copy().put("leadSchoolId", roomSchool.get(room).toString()).put("leadClassroomId", rooms.get(room).toString())
          .put("leadTeacherId", teachers.get(rnd.nextInt(teachers.size())).toString()).put("date", day.toString())
          .put("start", start.toString()).put("end", start.plusMinutes(40).toString());
      long t = System.nanoTime();
      Api.Response r = admin.post("/api/v1/sessions/check", body);
      long took = System.nanoTime() - t;
      if (r.status() != 200) {
        throw new IllegalStateException("check answered " + r.status() + ": " + r.body());
      }
      if (i >= 0) {
        out[i] = took;
        conflicts += r.json().getJsonArray("conflicts").isEmpty() ? 0 : 1;
      }
    }
    System.out.printf("  (%d of %d checks found a conflict)%n", conflicts, n);
    return out;
  }
}
