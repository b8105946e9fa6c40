package org.kelian.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.kelian.deploy.Platform;
import org.kelian.it.Api;
import org.kelian.it.TestPlatform;

/**
 * Automatic scheduling of a county's dedicated classes (issue #4 §7: ≥ 95 % of satisfiable demand placed, 0 hard
 * violations, ≤ 60 s, and the ratio to a greedy first-fit baseline measured in the same run). The generated county:
 * 14 urban schools (three music, two art and two English teachers each, 8 cross-school periods a week at most, two
 * lead classrooms, and a timetable of 12 own periods per teacher that makes them busy), 50 rural schools and 20
 * teaching sites with bell schedules that ring 0, 5 or (a few) 10 minutes later than the town's, 14 pairings and 7
 * alliances, 200 receiving classes and 600 periods a week of demand (rural classes: music, art, English once;
 * teaching-site classes: music twice, art once). The proposal is then applied through the API, which runs every
 * session through the same rule checker as a session made by hand: the independent check of "0 hard violations".
 */
public final class AutoScheduleBench {

  static final String[] URBAN_BELLS = {"08:00", "08:50", "10:00", "10:50", "14:00", "14:50", "15:40"};

  public static void main(String[] args) throws Exception {
    int limit = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    // "tight": teachers may take 5 cross-school periods a week instead of 8, so that demand exceeds supply.
    int weekly = args.length > 1 && args[1].equals("tight") ? 5 : 8;
    System.out.println(Bench.header("auto-schedule benchmark") + (weekly == 8 ? "" : " — tight: 5 periods a week per teacher"));
    Platform platform = TestPlatform.start("benchauto");
    try {
      Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Random rnd = new Random(7);
      String term = admin.post("/api/v1/terms", new JsonObject().put("name", "基准学期").put("startsOn", "2027-02-22").put("endsOn", "2027-07-09")
          .put("holidays", new JsonArray().add(new JsonObject().put("name", "劳动节").put("from", "2027-05-01").put("to", "2027-05-05"))))
          .json().getString("id");
      List<String> urban = new ArrayList<>();
      List<String> rural = new ArrayList<>();
      List<String> sites = new ArrayList<>();
      for (int i = 0; i < 84; i++) {
        String kind = i < 14 ? "urban" : i < 64 ? "rural" : "teaching_site";
        String id = ok(admin.post("/api/v1/schools", new JsonObject().put("name", "学校" + i).put("kind", kind).put("regionCode", "371321"))).getString("id");
        (i < 14 ? urban : i < 64 ? rural : sites).add(id);
        // Town schools ring on the hour; most village schools 0 or 5 minutes later with 40–45 minute periods, a few 10.
        int late = i < 14 ? 0 : i % 17 == 0 ? 10 : 5 * rnd.nextInt(2);
        int length = i < 14 ? 40 : 40 + 5 * rnd.nextInt(2);
        JsonArray periods = new JsonArray();
        for (int p = 0; p < URBAN_BELLS.length; p++) {
          LocalTime s = LocalTime.parse(URBAN_BELLS[p]).plusMinutes(late);
          periods.add(new JsonObject().put("number", p + 1).put("start", s.toString()).put("end", s.plusMinutes(length).toString()));
        }
        ok(admin.put("/api/v1/schools/" + id + "/bell-schedule", new JsonObject().put("periods", periods)));
      }
      List<String[]> teachers = new ArrayList<>();
      for (int u = 0; u < 14; u++) {
        for (String kind : List.of("recording", "interactive")) {
          ok(admin.post("/api/v1/classrooms", new JsonObject().put("schoolId", urban.get(u)).put("name", kind).put("kind", kind).put("capacity", 50)));
        }
        int n = 0;
        for (String subject : List.of("音乐", "音乐", "音乐", "美术", "美术", "英语", "英语")) {
          String username = "t" + u + "_" + n++;
          String id = ok(admin.post("/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
              .put("roles", new JsonArray().add("teacher")).put("displayName", "教师" + username).put("schoolId", urban.get(u)))).getString("id");
          ok(admin.put("/api/v1/teachers/" + id, new JsonObject().put("subjects", new JsonArray().add(subject)).put("maxWeeklyPeriods", weekly)));
          teachers.add(new String[] {id, urban.get(u), subject});
        }
      }
      // Each village school is paired with one town school; each alliance joins two town schools and about ten villages.
      List<String> villages = new ArrayList<>(rural);
      villages.addAll(sites);
      for (int u = 0; u < 14; u++) {
        JsonArray members = new JsonArray();
        for (int v = u; v < villages.size(); v += 14) {
          members.add(villages.get(v));
        }
        ok(admin.post("/api/v1/pairings", new JsonObject().put("name", "结对" + u).put("coreSchoolId", urban.get(u)).put("memberSchoolIds", members)
            .put("startsOn", "2026-09-01")));
      }
      for (int a = 0; a < 7; a++) {
        JsonArray members = new JsonArray().add(urban.get(a + 7));
        for (int v = a; v < villages.size(); v += 7) {
          members.add(villages.get(v));
        }
        ok(admin.post("/api/v1/alliances", new JsonObject().put("name", "联盟" + a).put("coreSchoolId", urban.get(a)).put("memberSchoolIds", members)
            .put("startsOn", "2026-09-01")));
      }
      JsonArray demand = new JsonArray();
      int periods = 0;
      for (int v = 0; v < villages.size(); v++) {
        boolean site = v >= rural.size();
        int classes = site ? (v % 2 == 0 ? 3 : 2) : 3;
        for (int c = 0; c < classes; c++) {
          String id = ok(admin.post("/api/v1/classes", new JsonObject().put("schoolId", villages.get(v)).put("grade", (3 + c) + "年级")
              .put("name", "1班").put("size", site ? 8 : 30))).getString("id");
          for (String[] need : site ? new String[][] {{"音乐", "2"}, {"美术", "1"}} : new String[][] {{"音乐", "1"}, {"美术", "1"}, {"英语", "1"}}) {
            demand.add(new JsonObject().put("classId", id).put("subject", need[0]).put("periodsPerWeek", Integer.parseInt(need[1])));
            periods += Integer.parseInt(need[1]);
          }
        }
      }
      // Town teachers' own timetables: 12 periods a week each, at random, which the solver must leave free.
      List<Tuple> lessons = new ArrayList<>();
      for (String[] t : teachers) {
        List<Integer> slots = new ArrayList<>();
        for (int s = 0; s < 35; s++) {
          slots.add(s);
        }
        java.util.Collections.shuffle(slots, rnd);
        for (int s : slots.subList(0, 12)) {
          int p = s % 7;
          LocalTime start = LocalTime.parse(URBAN_BELLS[p]);
          lessons.add(Tuple.tuple().addUUID(UUID.randomUUID()).addUUID(UUID.fromString(t[1])).addUUID(UUID.fromString(term))
              .addShort((short) (s / 7 + 1)).addShort((short) (p + 1)).addLocalTime(start).addLocalTime(start.plusMinutes(40))
              .addString(t[2]).addUUID(UUID.fromString(t[0])));
        }
      }
      platform.pool().preparedQuery("insert into timetable_entries (id, school_id, term_id, weekday, period, starts, ends, subject, teacher_id) "
          + "values ($1, $2, $3, $4, $5, $6, $7, $8, $9)").executeBatch(lessons).await();
      System.out.printf("county: %d schools, %d teachers, %d classes, %d demand lines, %d periods a week, %d own-timetable periods%n",
          84, teachers.size(), demand.stream().map(o -> ((JsonObject) o).getString("classId")).distinct().count(), demand.size(), periods,
          lessons.size());

      long t0 = System.nanoTime();
      JsonObject job = ok(admin.post("/api/v1/auto-schedules", new JsonObject().put("termId", term).put("demands", demand)
          .put("timeLimitSeconds", limit)));
      String id = job.getString("id");
      while (!List.of("proposed", "failed").contains(job.getString("status"))) {
        Thread.sleep(500);
        job = ok(admin.get("/api/v1/auto-schedules/" + id));
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      if (!"proposed".equals(job.getString("status"))) {
        throw new IllegalStateException("the run failed: " + job.encode());
      }
      JsonObject stats = job.getJsonObject("proposal").getJsonObject("stats");
      System.out.println("stats: " + stats.encode());
      System.out.printf("solver: placed %d of %d satisfiable (%.1f %%; %d periods demanded), hard violations %d, %.1f s submit-to-proposal "
              + "(time limit %d s)%n", stats.getInteger("placed"), stats.getInteger("satisfiable"), 100 * stats.getDouble("placedShare"), periods,
          stats.getInteger("hardViolations"), wall, limit);
      System.out.printf("greedy first-fit: placed %d (hard violations %d); ratio solver/greedy %.3f%n",
          stats.getInteger("greedyPlaced"), stats.getInteger("greedyHardViolations"), stats.getDouble("ratioToGreedy"));
      System.out.printf("soft: allied-only lessons solver %d / greedy %d; a class's subject twice a day solver %d / greedy %d%n",
          stats.getInteger("alliedOnly"), stats.getInteger("greedyAlliedOnly"), stats.getInteger("sameDayRepeats"),
          stats.getInteger("greedySameDayRepeats"));
      long a0 = System.nanoTime();
      Api.Response applied = admin.post("/api/v1/auto-schedules/" + id + "/apply", new JsonObject());
      System.out.printf("apply through the rule checker: %d %s in %.1f s%n", applied.status(),
          applied.status() == 200 ? applied.json().getInteger("sessions") + " weekly sessions" : applied.body().substring(0, Math.min(400,
              applied.body().length())), (System.nanoTime() - a0) / 1e9);
      if (applied.status() != 200) {
        System.exit(1);
      }
    } finally {
      platform.close();
    }
  }

  static JsonObject ok(Api.Response r) {
    if (r.status() / 100 != 2) {
      throw new IllegalStateException(r.status() + ": " + r.body());
    }
    return r.body().isEmpty() ? new JsonObject() : r.json();
  }
}
