package org.kelian.core.schedule.auto;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.kelian.core.org.BellSchedule;
import org.kelian.core.org.Classroom;
import org.kelian.core.org.School;
import org.kelian.core.org.SchoolClass;
import org.kelian.core.org.SchoolGroup;
import org.kelian.core.org.Teacher;

/**
 * Turns a county's demand for dedicated classes into lessons with their options: every teacher of the subject at a
 * school paired or allied with the receiving school, from each recording or interactive classroom of the teacher's
 * school, at every weekly time that lies inside a period of both schools' bell schedules and is free for the teacher,
 * the classroom and the receiving class. What an option cannot break (bell schedules, pairing, existing sessions
 * and timetables) is settled here; what lessons can break between each other is left to the solver's constraints.
 */
public final class AutoSchedulePlan {

  static final int DAY = 24 * 60;

  /** N periods a week of a subject for a receiving class. */
  public record Demand(UUID classId, String subject, int periodsPerWeek) {
  }

  /** A teacher, classroom or class already taken on a timetable weekday (by a session, or its own timetable). */
  public record Busy(UUID resourceId, UUID schoolId, DayOfWeek weekday, LocalTime start, LocalTime end) {
  }

  /**
   * What the plan is built from; the organisation as the database holds it. {@code loads} are the cross-school
   * periods a teacher already leads in their busiest week of the term, which count against their weekly limit.
   */
  public record Input(LocalDate day, int minMinutes, int travelMinutes, List<Demand> demands, Map<UUID, SchoolClass> classes,
                      Map<UUID, School> schools, Map<UUID, BellSchedule> bells, List<Teacher> teachers, List<Classroom> classrooms,
                      List<SchoolGroup> groups, List<Busy> busy, Map<UUID, Integer> loads) {
  }

  /**
   * One demand line as planned: how many of its periods could be placed at all (its distinct possible times, on its
   * own, ignoring the other lines: an upper bound), and why none could when that is so.
   */
  public record DemandInfo(Demand demand, UUID schoolId, String grade, int satisfiable, String reasonZh, String reasonEn) {
  }

  private final List<Lesson> lessons;
  private final List<DemandInfo> demands;

  private AutoSchedulePlan(List<Lesson> lessons, List<DemandInfo> demands) {
    this.lessons = lessons;
    this.demands = demands;
  }

  /** The lessons, hardest first (fewest options), the order the solver and the greedy baseline place them in. */
  public List<Lesson> lessons() {
    return lessons;
  }

  public List<DemandInfo> demands() {
    return demands;
  }

  /**
   * An upper bound of the lessons any timetable can place: each demand line at most its distinct possible times,
   * and each teacher at most their spare weekly periods, as a maximum flow from demand lines through the teachers
   * they may have to the teachers' limits. (Clashes in time and rooms between lines are not counted, so the true
   * optimum may be lower; it is never higher.)
   */
  public int satisfiable() {
    Map<UUID, Integer> teacherIndex = new HashMap<>();
    Map<UUID, Integer> spare = new HashMap<>();
    List<Set<Integer>> teachersOf = new ArrayList<>();
    for (int d = 0; d < demands.size(); d++) {
      teachersOf.add(new HashSet<>());
    }
    for (Lesson l : lessons) {
      for (Option o : l.getOptions()) {
        int t = teacherIndex.computeIfAbsent(o.teacherId(), k -> teacherIndex.size());
        spare.put(o.teacherId(), o.maxLoad());
        teachersOf.get(l.getDemand()).add(t);
      }
    }
    int lines = demands.size();
    int nodes = lines + teacherIndex.size() + 2;
    int source = nodes - 2;
    int sink = nodes - 1;
    MaxFlow flow = new MaxFlow(nodes);
    for (int d = 0; d < lines; d++) {
      flow.edge(source, d, demands.get(d).satisfiable());
      for (int t : teachersOf.get(d)) {
        flow.edge(d, lines + t, Integer.MAX_VALUE / 4);
      }
    }
    teacherIndex.forEach((id, t) -> flow.edge(lines + t, sink, spare.get(id)));
    return flow.max(source, sink);
  }

  /** Dinic's maximum flow on a small graph (demand lines and teachers). */
  private static final class MaxFlow {
    private final List<int[]> edges = new ArrayList<>(); // {to, capacity}; an edge and its reverse are neighbours
    private final List<List<Integer>> out = new ArrayList<>();
    private int[] level;
    private int[] next;

    MaxFlow(int n) {
      for (int i = 0; i < n; i++) {
        out.add(new ArrayList<>());
      }
    }

    void edge(int from, int to, int capacity) {
      out.get(from).add(edges.size());
      edges.add(new int[] {to, capacity});
      out.get(to).add(edges.size());
      edges.add(new int[] {from, 0});
    }

    int max(int s, int t) {
      int total = 0;
      while (levels(s, t)) {
        next = new int[out.size()];
        for (int f; (f = push(s, t, Integer.MAX_VALUE)) > 0; ) {
          total += f;
        }
      }
      return total;
    }

    private boolean levels(int s, int t) {
      level = new int[out.size()];
      java.util.Arrays.fill(level, -1);
      level[s] = 0;
      java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(s));
      while (!queue.isEmpty()) {
        int v = queue.poll();
        for (int e : out.get(v)) {
          int[] edge = edges.get(e);
          if (edge[1] > 0 && level[edge[0]] < 0) {
            level[edge[0]] = level[v] + 1;
            queue.add(edge[0]);
          }
        }
      }
      return level[t] >= 0;
    }

    private int push(int v, int t, int limit) {
      if (v == t) {
        return limit;
      }
      for (; next[v] < out.get(v).size(); next[v]++) {
        int e = out.get(v).get(next[v]);
        int[] edge = edges.get(e);
        if (edge[1] > 0 && level[edge[0]] == level[v] + 1) {
          int f = push(edge[0], t, Math.min(limit, edge[1]));
          if (f > 0) {
            edge[1] -= f;
            edges.get(e ^ 1)[1] += f;
            return f;
          }
        }
      }
      return 0;
    }
  }

  public static AutoSchedulePlan build(Input in) {
    Map<UUID, List<Busy>> busy = new HashMap<>();
    in.busy().forEach(b -> busy.computeIfAbsent(b.resourceId(), k -> new ArrayList<>()).add(b));
    Map<UUID, List<Classroom>> rooms = new HashMap<>();
    in.classrooms().stream().filter(c -> c.kind() != Classroom.Kind.ORDINARY)
        .forEach(c -> rooms.computeIfAbsent(c.schoolId(), k -> new ArrayList<>()).add(c));

    List<Lesson> lessons = new ArrayList<>();
    List<DemandInfo> infos = new ArrayList<>();
    for (int d = 0; d < in.demands().size(); d++) {
      Demand demand = in.demands().get(d);
      SchoolClass cls = in.classes().get(demand.classId());
      UUID receiver = cls.schoolId();
      List<Option> options = new ArrayList<>();
      String[] reason = null;
      Map<UUID, Boolean> partners = partners(in, receiver, demand.subject());
      List<Teacher> teachers = in.teachers().stream()
          .filter(t -> partners.containsKey(t.schoolId()) && t.teaches(demand.subject()) && spare(in, t) > 0).toList();
      if (partners.isEmpty()) {
        reason = new String[] {"该校没有结对或联盟学校", "The school has no paired or allied school"};
      } else if (teachers.isEmpty()) {
        reason = new String[] {"结对和联盟学校中没有教「" + demand.subject() + "」且每周还有余量的教师",
            "No teacher of " + demand.subject() + " with periods to spare this week at a paired or allied school"};
      } else if (teachers.stream().noneMatch(t -> rooms.containsKey(t.schoolId()))) {
        reason = new String[] {"这些教师所在学校没有录播室或互动教室", "The teachers' schools have no recording room or interactive classroom"};
      } else {
        for (Teacher t : teachers) {
          for (int[] w : windows(in, t.schoolId(), receiver)) {
            if (taken(busy.get(cls.id()), w, null, 0) || taken(busy.get(t.id()), w, t.schoolId(), in.travelMinutes())) {
              continue;
            }
            for (Classroom room : rooms.getOrDefault(t.schoolId(), List.of())) {
              if (!taken(busy.get(room.id()), w, null, 0)) {
                options.add(new Option(t.id(), room.id(), t.schoolId(), w[0], w[1], partners.get(t.schoolId()), spare(in, t)));
              }
            }
          }
        }
        if (options.isEmpty()) {
          reason = new String[] {"两校作息时间中没有共同且空闲的节次（至少 " + in.minMinutes() + " 分钟）",
              "No period of at least " + in.minMinutes() + " minutes lies in both schools' bell schedules while everyone is free"};
        }
      }
      // Paired before allied, then by time: the greedy baseline takes the first that fits.
      options.sort(Comparator.comparing((Option o) -> !o.paired()).thenComparingInt(Option::start));
      List<Option> fixed = List.copyOf(options);
      long distinctTimes = options.stream().map(Option::start).distinct().count();
      int satisfiable = (int) Math.min(demand.periodsPerWeek(), distinctTimes);
      infos.add(new DemandInfo(demand, receiver, cls.grade(), satisfiable, reason == null ? null : reason[0], reason == null ? null : reason[1]));
      for (int i = 0; i < demand.periodsPerWeek(); i++) {
        lessons.add(new Lesson(lessons.size(), d, cls.id(), receiver, demand.subject(), fixed));
      }
    }
    lessons.sort(Comparator.comparingInt(l -> l.getOptions().size()));
    return new AutoSchedulePlan(List.copyOf(lessons), List.copyOf(infos));
  }

  /** Cross-school periods a week the teacher can still take on. */
  private static int spare(Input in, Teacher t) {
    return Math.max(0, t.maxWeeklyPeriods() - in.loads().getOrDefault(t.id(), 0));
  }

  /** The schools a receiving school may take this subject from, and whether each is paired with it (else allied). */
  private static Map<UUID, Boolean> partners(Input in, UUID receiver, String subject) {
    Map<UUID, Boolean> out = new HashMap<>();
    for (SchoolGroup g : in.groups()) {
      if (!g.subjects().isEmpty() && !g.subjects().contains(subject)) {
        continue;
      }
      Set<UUID> all = new HashSet<>(g.memberIds());
      all.add(g.coreSchoolId());
      for (UUID s : all) {
        if (g.links(s, receiver, in.day())) {
          out.merge(s, g.kind() == SchoolGroup.Kind.PAIRING, Boolean::logicalOr);
        }
      }
    }
    return out;
  }

  /** Weekly times [start, end) in minutes from Monday that lie inside a period of both bell schedules. */
  private static List<int[]> windows(Input in, UUID lead, UUID receiver) {
    BellSchedule a = in.bells().get(lead);
    BellSchedule b = in.bells().get(receiver);
    List<int[]> out = new ArrayList<>();
    if (a == null || b == null) {
      return out;
    }
    for (DayOfWeek day : DayOfWeek.values()) {
      for (BellSchedule.Period p : a.periods()) {
        for (BellSchedule.Period q : b.periods()) {
          if (!p.weekdays().contains(day) || !q.weekdays().contains(day)) {
            continue;
          }
          int from = Math.max(minutes(p.start()), minutes(q.start()));
          int to = Math.min(minutes(p.end()), minutes(q.end()));
          if (to - from >= in.minMinutes()) {
            int base = (day.getValue() - 1) * DAY;
            out.add(new int[] {base + from, base + to});
          }
        }
      }
    }
    return out;
  }

  /** Whether a resource is busy then; a teacher busy at another school than {@code school} needs the travel time too. */
  private static boolean taken(List<Busy> list, int[] w, UUID school, int travel) {
    if (list == null) {
      return false;
    }
    for (Busy b : list) {
      int base = (b.weekday().getValue() - 1) * DAY;
      int gap = school != null && !school.equals(b.schoolId()) ? travel : 0;
      if (base + minutes(b.start()) - gap < w[1] && w[0] < base + minutes(b.end()) + gap) {
        return true;
      }
    }
    return false;
  }

  private static int minutes(LocalTime t) {
    return t.getHour() * 60 + t.getMinute();
  }

  /** The greedy first-fit baseline: each lesson in turn takes its first option that breaks no hard rule. */
  public static List<Option> greedy(List<Lesson> lessons) {
    List<Option> chosen = new ArrayList<>();
    List<Lesson> placed = new ArrayList<>();
    Map<UUID, Integer> load = new HashMap<>();
    for (Lesson l : lessons) {
      Option pick = null;
      for (Option o : l.getOptions()) {
        if (load.getOrDefault(o.teacherId(), 0) < o.maxLoad() && placed.stream().noneMatch(p -> clash(p.getClassId(), p.getOption(), l.getClassId(), o))) {
          pick = o;
          break;
        }
      }
      chosen.add(pick);
      if (pick != null) {
        Lesson copy = new Lesson(l.getId(), l.getDemand(), l.getClassId(), l.getSchoolId(), l.getSubject(), l.getOptions());
        copy.setOption(pick);
        placed.add(copy);
        load.merge(pick.teacherId(), 1, Integer::sum);
      }
    }
    return chosen;
  }

  /** Hard violations among placed lessons, counted by brute force, independently of the solver's constraints. */
  public static int hardViolations(List<Lesson> lessons) {
    List<Lesson> placed = lessons.stream().filter(l -> l.getOption() != null).toList();
    int n = 0;
    Map<UUID, Integer> load = new HashMap<>();
    Map<UUID, Integer> max = new HashMap<>();
    for (int i = 0; i < placed.size(); i++) {
      Lesson a = placed.get(i);
      if (!a.getOptions().contains(a.getOption())) {
        n++;
      }
      load.merge(a.getOption().teacherId(), 1, Integer::sum);
      max.put(a.getOption().teacherId(), a.getOption().maxLoad());
      for (int j = i + 1; j < placed.size(); j++) {
        Lesson b = placed.get(j);
        if (clash(a.getClassId(), a.getOption(), b.getClassId(), b.getOption())) {
          n++;
        }
      }
    }
    for (Map.Entry<UUID, Integer> e : load.entrySet()) {
      n += Math.max(0, e.getValue() - max.get(e.getKey()));
    }
    return n;
  }

  /** Soft costs of a timetable: lessons between schools only allied (not paired), and a class's same subject twice a day. */
  public static int[] softCosts(List<Lesson> lessons) {
    List<Lesson> placed = lessons.stream().filter(l -> l.getOption() != null).toList();
    int allied = (int) placed.stream().filter(l -> !l.getOption().paired()).count();
    int twice = 0;
    for (int i = 0; i < placed.size(); i++) {
      for (int j = i + 1; j < placed.size(); j++) {
        Lesson a = placed.get(i);
        Lesson b = placed.get(j);
        twice += a.getClassId().equals(b.getClassId()) && a.getSubject().equals(b.getSubject()) && a.weekday() == b.weekday() ? 1 : 0;
      }
    }
    return new int[] {allied, twice};
  }

  private static boolean clash(UUID classA, Option a, UUID classB, Option b) {
    return a.overlaps(b) && (a.teacherId().equals(b.teacherId()) || a.classroomId().equals(b.classroomId()) || classA.equals(classB));
  }
}
