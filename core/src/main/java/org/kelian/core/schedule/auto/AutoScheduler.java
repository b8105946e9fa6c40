package org.kelian.core.schedule.auto;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.org.BellSchedule;
import org.kelian.core.org.Classroom;
import org.kelian.core.org.OrgService;
import org.kelian.core.org.School;
import org.kelian.core.org.SchoolClass;
import org.kelian.core.org.SchoolGroup;
import org.kelian.core.org.Teacher;
import org.kelian.core.org.Term;
import org.kelian.core.schedule.ScheduleOptions;
import org.kelian.core.schedule.ScheduleService;
import org.kelian.core.schedule.SessionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic scheduling of a term's dedicated classes (专递课堂) as a durable background job: an admin submits the
 * demand (receiving classes that need a subject for N periods a week); one node at a time plans it, runs the greedy
 * first-fit baseline and then Timefold Solver, and stores a proposal with its figures; the admin applies it (every
 * placement becomes a weekly session, all in one transaction under the same rules as a hand-made session) or
 * discards it. A job interrupted by a stop or a crash is run again from the start.
 */
public final class AutoScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(AutoScheduler.class);
  private static final int ALL = 100_000;

  private final Vertx vertx;
  private final AutoScheduleStore store;
  private final OrgService org;
  private final ScheduleService schedule;
  private final ScheduleOptions options;
  private final Object wake = new Object();
  private volatile boolean stopped = true;
  private volatile AutoScheduleSolver solving;
  private Thread thread;

  public AutoScheduler(Vertx vertx, AutoScheduleStore store, OrgService org, ScheduleService schedule, ScheduleOptions options) {
    this.vertx = vertx;
    this.store = store;
    this.org = org;
    this.schedule = schedule;
    this.options = options;
  }

  // ---- the API --------------------------------------------------------------------------------------------------

  /** Queues a run: {termId, demands: [{classId, subject, periodsPerWeek}], startsOn?, minMinutes?, timeLimitSeconds?}. */
  public Future<AutoScheduleStore.Job> submit(User actor, JsonObject body) {
    requireDistrictAdmin(actor);
    UUID termId = Validate.uuid(body.getValue("termId") instanceof String s ? s : null, "termId");
    JsonArray lines = body.getValue("demands") instanceof JsonArray a ? a : null;
    if (lines == null || lines.isEmpty() || lines.size() > 5000) {
      throw KelianException.invalid("invalid_demands", "demands 应为 1 到 5000 条 {classId, subject, periodsPerWeek}",
          "demands is a list of 1 to 5000 {classId, subject, periodsPerWeek}");
    }
    JsonArray clean = new JsonArray();
    int lessons = 0;
    for (int i = 0; i < lines.size(); i++) {
      String at = "demands[" + i + "].";
      if (!(lines.getValue(i) instanceof JsonObject d)) {
        throw KelianException.invalid("invalid_demands", at + " 应为对象", at + " must be an object");
      }
      UUID classId = Validate.uuid(d.getValue("classId") instanceof String s ? s : null, at + "classId");
      String subject = Validate.text(d.getValue("subject") instanceof String s ? s : null, at + "subject", 20);
      int n = whole(d.getValue("periodsPerWeek"), at + "periodsPerWeek", 1, 10, null);
      lessons += n;
      clean.add(new JsonObject().put("classId", classId.toString()).put("subject", subject).put("periodsPerWeek", n));
    }
    if (lessons > 5000) {
      throw KelianException.invalid("too_much_demand", "一次最多安排 5000 节（每周）", "At most 5000 periods a week in one run");
    }
    int minMinutes = whole(body.getValue("minMinutes"), "minMinutes", 20, 90, 35);
    int limit = whole(body.getValue("timeLimitSeconds"), "timeLimitSeconds", 5, 600, 60);
    String startsOn = body.getValue("startsOn") instanceof String s ? Validate.date(s, "startsOn").toString() : null;
    JsonObject request = new JsonObject().put("termId", termId.toString()).put("demands", clean).put("minMinutes", minMinutes)
        .put("timeLimitSeconds", limit).put("startsOn", startsOn);
    UUID id = UUID.randomUUID();
    return org.term(termId).compose(term -> {
      if (startsOn != null && (LocalDate.parse(startsOn).isBefore(term.startsOn()) || LocalDate.parse(startsOn).isAfter(term.endsOn()))) {
        throw KelianException.invalid("starts_outside_term", "startsOn 应在学期之内", "startsOn must lie within the term");
      }
      return org.classes(null, ALL, 0);
    }).compose(classes -> {
      Map<UUID, SchoolClass> byId = new HashMap<>();
      classes.items().forEach(c -> byId.put(c.id(), c));
      List<String> missing = clean.stream().map(o -> ((JsonObject) o).getString("classId")).filter(c -> !byId.containsKey(UUID.fromString(c)))
          .distinct().toList();
      if (!missing.isEmpty()) {
        throw KelianException.notFound("class_not_found", "班级不存在：" + String.join("、", missing), "No such class: " + String.join(", ", missing));
      }
      return store.insert(id, termId, request, actor.id());
    }).compose(x -> {
      kick();
      return job(id);
    });
  }

  public Future<AutoScheduleStore.Job> get(User actor, UUID id) {
    requireDistrictAdmin(actor);
    return job(id);
  }

  public Future<AutoScheduleStore.Page> list(User actor, int limit, int offset) {
    requireDistrictAdmin(actor);
    return store.list(limit, offset);
  }

  /** Stops a run (it will not propose) or drops a proposal. */
  public Future<AutoScheduleStore.Job> discard(User actor, UUID id) {
    requireDistrictAdmin(actor);
    return job(id).compose(j -> store.discard(id)).compose(done -> {
      if (!done) {
        throw KelianException.conflict("proposal_not_open", "该排课方案已应用或已放弃", "This proposal has already been applied or discarded");
      }
      return job(id);
    });
  }

  /** Every placement becomes a weekly dedicated session from the first matching teaching day; all or nothing. */
  public Future<JsonObject> apply(User actor, UUID id) {
    requireDistrictAdmin(actor);
    return job(id).compose(j -> {
      if (!"proposed".equals(j.status())) {
        throw KelianException.conflict("proposal_not_open", "只能应用已生成且未应用的方案（当前：" + j.status() + "）",
            "Only a proposal not yet applied can be applied (this one is " + j.status() + ")");
      }
      return org.term(j.termId()).compose(term -> {
        LocalDate from = from(j.request(), term);
        List<SessionRequest> requests = new ArrayList<>();
        for (Object o : j.proposal().getJsonArray("placements")) {
          JsonObject p = (JsonObject) o;
          DayOfWeek weekday = DayOfWeek.of(p.getInteger("weekday"));
          Optional<LocalDate> first = from.datesUntil(term.endsOn().plusDays(1))
              .filter(d -> term.timetableDay(d).filter(weekday::equals).isPresent()).findFirst();
          if (first.isEmpty()) {
            continue;
          }
          requests.add(new SessionRequest("dedicated", p.getString("grade") + p.getString("subject") + "（专递课堂）",
              UUID.fromString(p.getString("leadSchoolId")), UUID.fromString(p.getString("classroomId")), UUID.fromString(p.getString("teacherId")),
              null, p.getString("subject"), p.getString("grade"), null, first.get().toString(), p.getString("start"), p.getString("end"), null,
              term.id(), true, List.of(new SessionRequest.Receiver(UUID.fromString(p.getString("schoolId")), null,
                  UUID.fromString(p.getString("classId")), null)), null, null, null, null, null, null, null));
        }
        return schedule.createAll(actor, requests, c -> AutoScheduleStore.markApplied(c, id));
      }).map(n -> new JsonObject().put("id", id.toString()).put("status", "applied").put("sessions", n));
    });
  }

  private Future<AutoScheduleStore.Job> job(UUID id) {
    return store.find(id).map(o -> o.orElseThrow(() -> KelianException.notFound("auto_schedule_not_found", "排课任务不存在",
        "Auto-schedule run not found")));
  }

  // ---- the runner -----------------------------------------------------------------------------------------------

  /** Starts the runner thread; it takes waiting jobs, including those a dead or stopped node left. */
  public void start() {
    stopped = false;
    thread = new Thread(this::loop, "kelian-auto-schedule");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the runner; a job in progress goes back to the queue for the next start. */
  public void stop() {
    stopped = true;
    AutoScheduleSolver s = solving;
    if (s != null) {
      s.stop();
    }
    kick();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void kick() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void loop() {
    while (!stopped) {
      try {
        Optional<AutoScheduleStore.Job> job = await(store.claim());
        if (job.isPresent()) {
          run(job.get());
          continue;
        }
      } catch (Exception e) {
        LOG.warn("auto-schedule runner: {}", e.getMessage());
      }
      synchronized (wake) {
        try {
          wake.wait(5_000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void run(AutoScheduleStore.Job job) {
    long t0 = System.nanoTime();
    try {
      JsonObject req = job.request();
      Term term = await(org.term(job.termId()));
      AutoSchedulePlan.Input input = await(input(req, term));
      AutoSchedulePlan plan = AutoSchedulePlan.build(input);
      List<Option> greedy = AutoSchedulePlan.greedy(plan.lessons());
      long planned = System.nanoTime();

      Duration limit = Duration.ofSeconds(req.getInteger("timeLimitSeconds", 60));
      AutoScheduleSolver solver = new AutoScheduleSolver(limit);
      solving = solver;
      long timer = vertx.setPeriodic(1000, tid -> {
        int pct = (int) Math.min(99, (System.nanoTime() - planned) * 100 / Math.max(1, limit.toNanos()));
        store.progress(job.id(), pct).onSuccess(running -> {
          if (!running) {
            solver.stop();
          }
        });
      });
      DedicatedTimetable best;
      try {
        best = solver.solve(plan.lessons(), b -> { });
      } finally {
        vertx.cancelTimer(timer);
        solving = null;
      }
      if (stopped) {
        await(store.release(job.id()));
        return;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      JsonObject proposal = proposal(input, plan, best, greedy, seconds);
      if (!await(store.finish(job.id(), proposal))) {
        LOG.info("auto-schedule {} was discarded while it ran", job.id());
      }
    } catch (Exception e) {
      LOG.warn("auto-schedule {} failed", job.id(), e);
      String reason = e instanceof KelianException k ? k.getMessage() : "排课失败，请重试 / The run failed, please try again: " + e;
      try {
        await(store.fail(job.id(), reason));
      } catch (Exception again) {
        LOG.warn("recording the failure of auto-schedule {}: {}", job.id(), again.getMessage());
      }
    }
  }

  private Future<AutoSchedulePlan.Input> input(JsonObject req, Term term) {
    List<AutoSchedulePlan.Demand> demands = new ArrayList<>();
    req.getJsonArray("demands").forEach(o -> {
      JsonObject d = (JsonObject) o;
      demands.add(new AutoSchedulePlan.Demand(UUID.fromString(d.getString("classId")), d.getString("subject"), d.getInteger("periodsPerWeek")));
    });
    LocalDate day = from(req, term);
    Map<UUID, SchoolClass> classes = new HashMap<>();
    Map<UUID, School> schools = new HashMap<>();
    Map<UUID, BellSchedule> bells = new HashMap<>();
    List<SchoolGroup> groups = new ArrayList<>();
    return org.classes(null, ALL, 0).compose(cs -> {
      cs.items().forEach(c -> classes.put(c.id(), c));
      return org.schools(null, null, ALL, 0);
    }).compose(ss -> {
      ss.items().forEach(s -> schools.put(s.id(), s));
      List<Future<BellSchedule>> all = ss.items().stream().map(s -> org.bellSchedule(s.id())).toList();
      return Future.all(all).map(x -> {
        for (int i = 0; i < all.size(); i++) {
          bells.put(ss.items().get(i).id(), all.get(i).result());
        }
        return null;
      });
    }).compose(x -> org.groups(SchoolGroup.Kind.PAIRING, null, ALL, 0)).compose(p -> {
      groups.addAll(p.items());
      return org.groups(SchoolGroup.Kind.ALLIANCE, null, ALL, 0);
    }).compose(a -> {
      groups.addAll(a.items());
      return org.teachers(null, null, ALL, 0);
    }).compose(teachers -> org.classrooms(null, ALL, 0).compose(rooms -> store.busy(term).compose(busy -> store.loads(term).map(loads ->
        new AutoSchedulePlan.Input(day, req.getInteger("minMinutes", 35), options.travelMinutes(), demands, classes, schools, bells,
            teachers.items(), rooms.items(), groups, busy, loads)))));
  }

  /** The first day the sessions run: the given start, else the term's start or today, whichever is later. */
  private static LocalDate from(JsonObject req, Term term) {
    String s = req.getString("startsOn");
    if (s != null) {
      return LocalDate.parse(s);
    }
    LocalDate today = LocalDate.now(AutoScheduleStore.ZONE);
    return today.isAfter(term.startsOn()) ? today : term.startsOn();
  }

  private static JsonObject proposal(AutoSchedulePlan.Input in, AutoSchedulePlan plan, DedicatedTimetable best, List<Option> greedy,
                                     double seconds) {
    Map<UUID, Teacher> teachers = new HashMap<>();
    in.teachers().forEach(t -> teachers.put(t.id(), t));
    Map<UUID, Classroom> rooms = new HashMap<>();
    in.classrooms().forEach(r -> rooms.put(r.id(), r));
    List<Lesson> lessons = new ArrayList<>(best.getLessons());
    lessons.sort(Comparator.comparing((Lesson l) -> l.getOption() == null ? Integer.MAX_VALUE : l.getOption().start())
        .thenComparing(l -> l.getClassId().toString()));
    JsonArray placements = new JsonArray();
    int[] placedPerDemand = new int[plan.demands().size()];
    for (Lesson l : lessons) {
      Option o = l.getOption();
      if (o == null) {
        continue;
      }
      placedPerDemand[l.getDemand()]++;
      SchoolClass cls = in.classes().get(l.getClassId());
      int day = o.start() / AutoSchedulePlan.DAY;
      placements.add(new JsonObject().put("classId", cls.id().toString()).put("className", cls.grade() + cls.name())
          .put("schoolId", cls.schoolId().toString()).put("schoolName", in.schools().get(cls.schoolId()).name()).put("grade", cls.grade())
          .put("subject", l.getSubject()).put("weekday", day + 1).put("start", hhmm(o.start() - day * AutoSchedulePlan.DAY))
          .put("end", hhmm(o.end() - day * AutoSchedulePlan.DAY)).put("teacherId", o.teacherId().toString())
          .put("teacherName", teachers.get(o.teacherId()).displayName()).put("leadSchoolId", o.leadSchoolId().toString())
          .put("leadSchoolName", in.schools().get(o.leadSchoolId()).name()).put("classroomId", o.classroomId().toString())
          .put("classroomName", rooms.get(o.classroomId()).name()).put("paired", o.paired()));
    }
    JsonArray unplaced = new JsonArray();
    for (int d = 0; d < plan.demands().size(); d++) {
      AutoSchedulePlan.DemandInfo info = plan.demands().get(d);
      if (placedPerDemand[d] < info.demand().periodsPerWeek()) {
        SchoolClass cls = in.classes().get(info.demand().classId());
        boolean none = info.reasonZh() != null;
        unplaced.add(new JsonObject().put("classId", cls.id().toString()).put("className", cls.grade() + cls.name())
            .put("schoolId", cls.schoolId().toString()).put("schoolName", in.schools().get(cls.schoolId()).name())
            .put("subject", info.demand().subject()).put("wanted", info.demand().periodsPerWeek()).put("placed", placedPerDemand[d])
            .put("satisfiable", info.satisfiable())
            .put("reasonZh", none ? info.reasonZh() : "可选的时间已被占用（教师每周上限、教室或该班的其他课）")
            .put("reasonEn", none ? info.reasonEn() : "The possible times are taken (teachers' weekly limits, rooms, or the class's other lessons)"));
      }
    }
    int placed = placements.size();
    long greedyPlaced = greedy.stream().filter(java.util.Objects::nonNull).count();
    List<Lesson> greedyLessons = new ArrayList<>();
    for (int i = 0; i < greedy.size(); i++) {
      Lesson l = plan.lessons().get(i);
      Lesson copy = new Lesson(l.getId(), l.getDemand(), l.getClassId(), l.getSchoolId(), l.getSubject(), l.getOptions());
      copy.setOption(greedy.get(i));
      greedyLessons.add(copy);
    }
    int satisfiable = plan.satisfiable();
    int[] soft = AutoSchedulePlan.softCosts(best.getLessons());
    int[] greedySoft = AutoSchedulePlan.softCosts(greedyLessons);
    JsonObject stats = new JsonObject().put("lessons", lessons.size()).put("satisfiable", satisfiable).put("placed", placed)
        .put("placedShare", satisfiable == 0 ? 1.0 : round((double) placed / satisfiable)).put("greedyPlaced", greedyPlaced)
        .put("ratioToGreedy", greedyPlaced == 0 ? null : round((double) placed / greedyPlaced))
        .put("hardViolations", AutoSchedulePlan.hardViolations(best.getLessons()))
        .put("greedyHardViolations", AutoSchedulePlan.hardViolations(greedyLessons))
        .put("paired", placements.stream().filter(p -> ((JsonObject) p).getBoolean("paired")).count())
        .put("alliedOnly", soft[0]).put("sameDayRepeats", soft[1]).put("greedyAlliedOnly", greedySoft[0])
        .put("greedySameDayRepeats", greedySoft[1])
        .put("score", String.valueOf(best.getScore())).put("seconds", round(seconds))
        .put("options", plan.lessons().stream().mapToInt(l -> l.getOptions().size()).sum());
    return new JsonObject().put("stats", stats).put("placements", placements).put("unplaced", unplaced);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String hhmm(int minutes) {
    return LocalTime.of(minutes / 60, minutes % 60).toString();
  }

  private static int whole(Object v, String field, int min, int max, Integer dflt) {
    if (v == null && dflt != null) {
      return dflt;
    }
    if (!(v instanceof Integer i) || i < min || i > max) {
      throw KelianException.invalid("out_of_range", "字段 " + field + " 应为 " + min + " 到 " + max + " 的整数",
          "Field " + field + " must be a whole number from " + min + " to " + max);
    }
    return i;
  }

  private static void requireDistrictAdmin(User actor) {
    if (!actor.has(Role.DISTRICT_ADMIN)) {
      throw KelianException.forbidden();
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
  }
}
