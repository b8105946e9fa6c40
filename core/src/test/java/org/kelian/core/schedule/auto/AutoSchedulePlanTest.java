package org.kelian.core.schedule.auto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.org.BellSchedule;
import org.kelian.core.org.Classroom;
import org.kelian.core.org.School;
import org.kelian.core.org.SchoolClass;
import org.kelian.core.org.SchoolGroup;
import org.kelian.core.org.Teacher;

/** The options a plan offers (bell schedules, pairing, busy times, limits), and the solver's result checked independently. */
class AutoSchedulePlanTest {

  static final LocalDate DAY = LocalDate.of(2027, 3, 1);

  /** A small county under construction. */
  static final class County {
    final Map<UUID, School> schools = new HashMap<>();
    final Map<UUID, BellSchedule> bells = new HashMap<>();
    final Map<UUID, SchoolClass> classes = new HashMap<>();
    final List<Teacher> teachers = new ArrayList<>();
    final List<Classroom> rooms = new ArrayList<>();
    final List<SchoolGroup> groups = new ArrayList<>();
    final List<AutoSchedulePlan.Busy> busy = new ArrayList<>();
    final Map<UUID, Integer> loads = new HashMap<>();
    final List<AutoSchedulePlan.Demand> demands = new ArrayList<>();

    UUID school(School.Kind kind, String... periods) {
      UUID id = UUID.randomUUID();
      schools.put(id, new School(id, "校" + schools.size(), kind, "371321"));
      JsonArray list = new JsonArray();
      for (int i = 0; i < periods.length; i++) {
        String[] p = periods[i].split("-");
        list.add(new JsonObject().put("number", i + 1).put("start", p[0]).put("end", p[1]));
      }
      bells.put(id, BellSchedule.parse(list));
      return id;
    }

    UUID room(UUID school, Classroom.Kind kind) {
      UUID id = UUID.randomUUID();
      rooms.add(new Classroom(id, school, "室" + rooms.size(), kind, 40));
      return id;
    }

    UUID teacher(UUID school, String subject, int limit) {
      UUID id = UUID.randomUUID();
      teachers.add(new Teacher(id, "t" + teachers.size(), "教师" + teachers.size(), school, List.of(subject), limit));
      return id;
    }

    UUID schoolClass(UUID school) {
      UUID id = UUID.randomUUID();
      classes.put(id, new SchoolClass(id, school, "三年级", classes.size() + "班", 20));
      return id;
    }

    void group(SchoolGroup.Kind kind, UUID core, UUID... members) {
      groups.add(new SchoolGroup(UUID.randomUUID(), kind, "组", core, List.of(members), DAY.minusYears(1), null, List.of()));
    }

    AutoSchedulePlan plan() {
      return AutoSchedulePlan.build(new AutoSchedulePlan.Input(DAY, 35, 30, demands, classes, schools, bells, teachers, rooms, groups, busy, loads));
    }
  }

  static final String[] TOWN = {"08:00-08:40", "08:50-09:30", "10:00-10:40"};

  @Test
  void optionsLieInsideBothBellSchedulesAndOnlyAtPartnerSchools() {
    County c = new County();
    UUID town = c.school(School.Kind.URBAN, TOWN);
    UUID other = c.school(School.Kind.URBAN, TOWN);
    UUID village = c.school(School.Kind.RURAL, "08:05-08:45", "08:55-09:35", "10:20-11:00");
    c.room(town, Classroom.Kind.RECORDING);
    c.room(town, Classroom.Kind.ORDINARY);
    c.room(other, Classroom.Kind.INTERACTIVE);
    UUID t = c.teacher(town, "音乐", 4);
    c.teacher(other, "音乐", 4);
    c.group(SchoolGroup.Kind.PAIRING, town, village);
    UUID cls = c.schoolClass(village);
    c.demands.add(new AutoSchedulePlan.Demand(cls, "音乐", 2));

    AutoSchedulePlan plan = c.plan();
    List<Option> options = plan.lessons().get(0).getOptions();
    // Two periods overlap by 35 minutes (the third only by 20), on five days, from the one non-ordinary room.
    assertEquals(10, options.size(), options.toString());
    for (Option o : options) {
      assertEquals(t, o.teacherId(), "the unpaired town school's teacher is not offered");
      assertTrue(o.paired());
      int minute = o.start() % AutoSchedulePlan.DAY;
      assertTrue(minute == 8 * 60 + 5 || minute == 8 * 60 + 55, "starts when both schools are in a period: " + o);
      assertEquals(35, o.end() - o.start());
    }
    assertEquals(2, plan.satisfiable());
    assertNull(plan.demands().get(0).reasonZh());
  }

  @Test
  void busyTimesTravelAndWeeklyLimitsNarrowTheOptions() {
    County c = new County();
    UUID town = c.school(School.Kind.URBAN, TOWN);
    UUID village = c.school(School.Kind.RURAL, TOWN);
    c.room(town, Classroom.Kind.RECORDING);
    UUID t = c.teacher(town, "音乐", 3);
    c.group(SchoolGroup.Kind.ALLIANCE, town, village);
    UUID cls = c.schoolClass(village);
    c.demands.add(new AutoSchedulePlan.Demand(cls, "音乐", 1));
    // Monday: the class has its own lesson in period 1; the teacher teaches at the village 09:40–10:00 (走教), so
    // with 30 minutes' travel periods 2 and 3 are out too. Tuesday: only her own school's period 2.
    c.busy.add(new AutoSchedulePlan.Busy(cls, village, DayOfWeek.MONDAY, LocalTime.of(8, 0), LocalTime.of(8, 40)));
    c.busy.add(new AutoSchedulePlan.Busy(t, village, DayOfWeek.MONDAY, LocalTime.of(9, 40), LocalTime.of(10, 0)));
    c.busy.add(new AutoSchedulePlan.Busy(t, town, DayOfWeek.TUESDAY, LocalTime.of(8, 50), LocalTime.of(9, 30)));
    List<Option> options = c.plan().lessons().get(0).getOptions();
    assertEquals(3 * 5 - 3 - 1, options.size(), options.toString());
    assertTrue(options.stream().noneMatch(o -> o.weekday() == 1));
    assertTrue(options.stream().noneMatch(o -> o.start() == AutoSchedulePlan.DAY + 8 * 60 + 50));
    assertTrue(options.stream().allMatch(o -> !o.paired() && o.maxLoad() == 3), "allied only; the limit travels with the option");

    c.loads.put(t, 3);
    AutoSchedulePlan full = c.plan();
    assertTrue(full.lessons().get(0).getOptions().isEmpty(), "her three periods are taken by sessions already in the term");
    assertTrue(full.demands().get(0).reasonZh().contains("音乐"), full.demands().get(0).reasonZh());
  }

  @Test
  void everyUnmetDemandSaysWhy() {
    County c = new County();
    UUID town = c.school(School.Kind.URBAN, TOWN);
    UUID late = c.school(School.Kind.TEACHING_SITE, "08:20-09:00");
    UUID alone = c.school(School.Kind.RURAL, TOWN);
    UUID noRoom = c.school(School.Kind.URBAN, TOWN);
    UUID village = c.school(School.Kind.RURAL, TOWN);
    c.room(town, Classroom.Kind.RECORDING);
    c.teacher(town, "音乐", 4);
    c.teacher(noRoom, "美术", 4);
    c.group(SchoolGroup.Kind.PAIRING, town, late);
    c.group(SchoolGroup.Kind.PAIRING, noRoom, village);
    c.demands.add(new AutoSchedulePlan.Demand(c.schoolClass(late), "音乐", 1));
    c.demands.add(new AutoSchedulePlan.Demand(c.schoolClass(alone), "音乐", 1));
    c.demands.add(new AutoSchedulePlan.Demand(c.schoolClass(late), "英语", 1));
    c.demands.add(new AutoSchedulePlan.Demand(c.schoolClass(village), "美术", 1));
    List<String> reasons = c.plan().demands().stream().map(AutoSchedulePlan.DemandInfo::reasonEn).toList();
    assertTrue(reasons.get(0).contains("bell schedules"), reasons.get(0));
    assertTrue(reasons.get(1).contains("no paired or allied school"), reasons.get(1));
    assertTrue(reasons.get(2).contains("No teacher of 英语"), reasons.get(2));
    assertTrue(reasons.get(3).contains("no recording room"), reasons.get(3));
    assertEquals(0, c.plan().satisfiable());
  }

  @Test
  void satisfiableCountsTeachersLimitsAcrossDemandLines() {
    County c = new County();
    UUID town = c.school(School.Kind.URBAN, TOWN);
    c.room(town, Classroom.Kind.RECORDING);
    c.teacher(town, "音乐", 3);
    for (int v = 0; v < 3; v++) {
      UUID village = c.school(School.Kind.RURAL, TOWN);
      c.group(SchoolGroup.Kind.PAIRING, town, village);
      c.demands.add(new AutoSchedulePlan.Demand(c.schoolClass(village), "音乐", 2));
    }
    AutoSchedulePlan plan = c.plan();
    assertEquals(2, plan.demands().get(0).satisfiable(), "each line on its own could have both its periods");
    assertEquals(3, plan.satisfiable(), "but the one music teacher takes three a week in all");
  }

  /** A random county; whatever the solver has found when it stops, the independent count finds no hard violation. */
  @Test
  void solverAndGreedyNeverBreakAHardRule() {
    Random rnd = new Random(11);
    County c = new County();
    List<UUID> towns = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      UUID town = c.school(School.Kind.URBAN, TOWN);
      towns.add(town);
      c.room(town, Classroom.Kind.RECORDING);
      for (String s : List.of("音乐", "美术")) {
        c.teacher(town, s, 2 + rnd.nextInt(4));
      }
    }
    for (int v = 0; v < 12; v++) {
      UUID village = c.school(School.Kind.RURAL, "08:00-08:45", "08:50-09:35", "10:00-10:45");
      c.group(SchoolGroup.Kind.PAIRING, towns.get(v % 4), village);
      c.group(SchoolGroup.Kind.ALLIANCE, towns.get((v + 1) % 4), village);
      for (int k = 0; k < 2; k++) {
        UUID cls = c.schoolClass(village);
        c.demands.add(new AutoSchedulePlan.Demand(cls, "音乐", 1 + rnd.nextInt(2)));
        c.demands.add(new AutoSchedulePlan.Demand(cls, "美术", 1));
      }
    }
    AutoSchedulePlan plan = c.plan();
    List<Option> greedy = AutoSchedulePlan.greedy(plan.lessons());
    List<Lesson> greedyLessons = new ArrayList<>();
    for (int i = 0; i < greedy.size(); i++) {
      Lesson l = plan.lessons().get(i);
      Lesson copy = new Lesson(l.getId(), l.getDemand(), l.getClassId(), l.getSchoolId(), l.getSubject(), l.getOptions());
      copy.setOption(greedy.get(i));
      greedyLessons.add(copy);
    }
    assertEquals(0, AutoSchedulePlan.hardViolations(greedyLessons));

    DedicatedTimetable best = new AutoScheduleSolver(Duration.ofSeconds(3)).solve(plan.lessons(), b -> { });
    assertNotNull(best.getScore());
    assertEquals(0, best.getScore().hardScore(), best.getScore().toString());
    assertEquals(0, AutoSchedulePlan.hardViolations(best.getLessons()));
    long placed = best.getLessons().stream().filter(l -> l.getOption() != null).count();
    assertEquals(-best.getScore().mediumScore(), best.getLessons().size() - placed, "the medium level counts unplaced lessons");
    assertTrue(placed <= plan.satisfiable());
    assertFalse(best.getLessons().stream().anyMatch(l -> l.getOption() != null && !l.getOptions().contains(l.getOption())));
  }
}
