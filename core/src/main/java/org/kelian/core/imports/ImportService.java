package org.kelian.core.imports;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.security.SecureRandom;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kelian.core.auth.AuthService;
import org.kelian.core.auth.PasswordHasher;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.org.BellSchedule;
import org.kelian.core.org.Classroom;
import org.kelian.core.org.School;
import org.kelian.core.org.SchoolClass;
import org.kelian.core.org.Teacher;

/**
 * Imports a county's organisation and timetables from CSV (issue #4): schools, classrooms, classes, teachers, bell
 * schedules and timetables. A file is all or nothing, in one transaction: any bad row refuses the file with every bad
 * row listed. Rows match existing records by their natural key, so importing the same file again changes nothing.
 * District admins import everything; a school admin imports their own school's rooms, classes, teachers, bell
 * schedule and timetables.
 */
public final class ImportService {

  public static final int MAX_BYTES = 5 * 1024 * 1024;
  public static final int MAX_ROWS = 20_000;

  /** Same rule as OrgService: six digits for a county, nine or twelve for a town or village. */
  private static final Pattern REGION = Pattern.compile("\\d{6}(\\d{3}(\\d{3})?)?");
  private static final Pattern TIME = Pattern.compile("([01]?\\d|2[0-3])[:：]([0-5]\\d)(?:[:：]00)?");
  private static final Pattern SUBJECT_SEPARATORS = Pattern.compile("[、;；|｜，]");
  /** Initial passwords are read off a sheet of paper and typed on phones: no 0/O, 1/l/I. */
  private static final String PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> WEEKDAYS_ZH = List.of("一", "二", "三", "四", "五", "六", "日");

  private static final Map<String, School.Kind> SCHOOL_KINDS = Map.ofEntries(
      Map.entry("城区", School.Kind.URBAN), Map.entry("城区学校", School.Kind.URBAN), Map.entry("城镇", School.Kind.URBAN),
      Map.entry("镇区", School.Kind.TOWN_SEAT), Map.entry("镇区学校", School.Kind.TOWN_SEAT), Map.entry("乡镇中心学校", School.Kind.TOWN_SEAT),
      Map.entry("中心校", School.Kind.TOWN_SEAT), Map.entry("乡村", School.Kind.RURAL), Map.entry("乡村学校", School.Kind.RURAL),
      Map.entry("村小", School.Kind.RURAL), Map.entry("教学点", School.Kind.TEACHING_SITE));
  private static final Map<String, Classroom.Kind> ROOM_KINDS = Map.of(
      "普通", Classroom.Kind.ORDINARY, "普通教室", Classroom.Kind.ORDINARY, "录播", Classroom.Kind.RECORDING, "录播室", Classroom.Kind.RECORDING,
      "录播教室", Classroom.Kind.RECORDING, "互动", Classroom.Kind.INTERACTIVE, "互动教室", Classroom.Kind.INTERACTIVE);

  private final Vertx vertx;
  private final ImportStore store;

  public ImportService(Vertx vertx, ImportStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Imports one file of a kind (its wire name, e.g. bell-schedules); on a dry run answers the same without writing. */
  public Future<ImportResult> importCsv(User actor, String kindName, byte[] body, boolean dryRun) {
    if (!actor.isAdmin()) {
      throw KelianException.forbidden();
    }
    ImportKind kind = ImportKind.parse(kindName).orElseThrow(() -> KelianException.notFound("unknown_import_kind",
        "没有这种导入：" + kindName + "（可选 schools、classrooms、classes、teachers、bell-schedules、timetables）",
        "No such import: " + kindName + " (one of schools, classrooms, classes, teachers, bell-schedules, timetables)"));
    if (kind == ImportKind.SCHOOLS && !actor.has(Role.DISTRICT_ADMIN)) {
      throw new KelianException(ErrorKind.FORBIDDEN, "forbidden", "只有区县管理员可以导入学校", "Only district admins import schools");
    }
    if (body.length > MAX_BYTES) {
      throw tooLarge();
    }
    Csv.Text text = Csv.decode(body);
    List<Csv.Record> records = Csv.parse(text.text()).stream().filter(r -> !r.blank()).toList();
    if (records.isEmpty()) {
      throw KelianException.invalid("empty_file", "文件是空的：第一行应为表头", "The file is empty: the first line is the header");
    }
    if (records.size() - 1 > MAX_ROWS) {
      throw tooLarge();
    }
    Problems problems = new Problems();
    Sheet sheet = Sheet.read(kind, records, problems);
    if (problems.any()) {
      throw problems.invalid();
    }
    return store.inTransaction(c -> new Run(actor, kind, sheet, c, dryRun).go())
        .map(p -> new ImportResult(kind.wire(), text.encoding(), dryRun, sheet.lines().size(), p.created, p.updated, p.unchanged, p.removed,
            p.accounts));
  }

  /** A school's timetable entries (by school, term, teacher or class; at least one), with names to read. */
  public Future<List<JsonObject>> timetable(UUID school, UUID term, UUID teacher, UUID schoolClass) {
    if (school == null && teacher == null && schoolClass == null) {
      throw KelianException.invalid("filter_required", "请给出 schoolId、teacherId 或 classId", "Give schoolId, teacherId or classId");
    }
    return store.list(school, term, teacher, schoolClass);
  }

  private static KelianException tooLarge() {
    return new KelianException(ErrorKind.TOO_LARGE, "import_too_large",
        "文件过大：一次最多导入 5 MB、" + MAX_ROWS + " 行，请按学校或乡镇拆分后分批导入",
        "The file is too large: at most 5 MB and " + MAX_ROWS + " rows per import; split it by school or town");
  }

  /** Counts and the writes to make once every row is known to be good. */
  private static final class Plan {
    int created;
    int updated;
    int unchanged;
    int removed;
    final List<ImportResult.Account> accounts = new ArrayList<>();
    final List<Function<SqlConnection, Future<Void>>> writes = new ArrayList<>();

    void count(boolean isNew, boolean changed) {
      if (isNew) {
        created++;
      } else if (changed) {
        updated++;
      } else {
        unchanged++;
      }
    }
  }

  /** One import: reads what exists, checks every row, then writes (unless a dry run). */
  private final class Run {
    private final User actor;
    private final ImportKind kind;
    private final Sheet sheet;
    private final SqlConnection c;
    private final boolean dryRun;
    private final Problems problems = new Problems();
    private final Problems forbidden = new Problems();
    private final Plan plan = new Plan();
    private final Map<UUID, ImportStore.KnownSchool> schoolsById = new HashMap<>();
    private final Map<String, List<ImportStore.KnownSchool>> schoolsByName = new HashMap<>();

    Run(User actor, ImportKind kind, Sheet sheet, SqlConnection c, boolean dryRun) {
      this.actor = actor;
      this.kind = kind;
      this.sheet = sheet;
      this.c = c;
      this.dryRun = dryRun;
    }

    Future<Plan> go() {
      return store.schools(c).compose(all -> {
        all.forEach(k -> {
          schoolsById.put(k.school().id(), k);
          schoolsByName.computeIfAbsent(k.school().name(), n -> new ArrayList<>()).add(k);
        });
        return switch (kind) {
          case SCHOOLS -> schools();
          case CLASSROOMS -> classrooms();
          case CLASSES -> classes();
          case TEACHERS -> teachers();
          case BELL_SCHEDULES -> bellSchedules();
          case TIMETABLES -> timetables();
        };
      }).compose(x -> {
        if (forbidden.any()) {
          throw forbidden.forbidden();
        }
        if (problems.any()) {
          throw problems.invalid();
        }
        if (dryRun) {
          return Future.succeededFuture(plan);
        }
        Future<Void> chain = Future.succeededFuture();
        for (Function<SqlConnection, Future<Void>> w : plan.writes) {
          chain = chain.compose(y -> w.apply(c));
        }
        return chain.map(plan);
      });
    }

    // ---- schools ----

    private Future<Void> schools() {
      Map<String, Integer> seen = new HashMap<>();
      List<School> inserts = new ArrayList<>();
      List<School> updates = new ArrayList<>();
      for (Sheet.Line l : sheet.lines()) {
        String name = text(l, "name", 100, true);
        School.Kind k = schoolKind(l);
        String region = sheet.get(l, "regionCode");
        if (!REGION.matcher(region).matches()) {
          problem(l, "regionCode", "地区代码应为 6 位（区县）、9 位（乡镇）或 12 位数字（Excel 可能把长数字存成科学计数法，请把该列设为文本）",
              "A region code is 6 (county), 9 (town) or 12 digits (Excel may have saved a long number in scientific notation: format the column as text)");
          region = null;
        }
        if (name == null || k == null || region == null || duplicate(seen, name + "\u0000" + region, l, "name")) {
          continue;
        }
        String r = region;
        ImportStore.KnownSchool old = schoolsByName.getOrDefault(name, List.of()).stream()
            .filter(s -> r.equals(s.school().regionCode())).findFirst().orElse(null);
        plan.count(old == null, old != null && old.school().kind() != k);
        if (old == null) {
          inserts.add(new School(UUID.randomUUID(), name, k, region));
        } else if (old.school().kind() != k) {
          updates.add(new School(old.school().id(), name, k, region));
        }
      }
      plan.writes.add(x -> store.insertSchools(x, inserts));
      plan.writes.add(x -> store.updateSchools(x, updates));
      return Future.succeededFuture();
    }

    // ---- classrooms ----

    private Future<Void> classrooms() {
      Map<Sheet.Line, School> schools = resolveSchools();
      return store.classrooms(c, ids(schools)).map(existing -> {
        Map<String, Classroom> byKey = new HashMap<>();
        existing.forEach(r -> byKey.put(r.schoolId() + "/" + r.name(), r));
        Map<String, Integer> seen = new HashMap<>();
        List<Classroom> inserts = new ArrayList<>();
        List<Classroom> updates = new ArrayList<>();
        for (Sheet.Line l : sheet.lines()) {
          School s = schools.get(l);
          String name = text(l, "name", 60, true);
          Classroom.Kind k = roomKind(l);
          Integer capacity = integer(l, "capacity", 1, 1000, true);
          if (s == null || name == null || k == null || capacity == null || duplicate(seen, s.id() + "/" + name, l, "name")) {
            continue;
          }
          Classroom old = byKey.get(s.id() + "/" + name);
          boolean changed = old != null && (old.kind() != k || old.capacity() != capacity);
          plan.count(old == null, changed);
          if (old == null) {
            inserts.add(new Classroom(UUID.randomUUID(), s.id(), name, k, capacity));
          } else if (changed) {
            updates.add(new Classroom(old.id(), s.id(), name, k, capacity));
          }
        }
        plan.writes.add(x -> store.insertClassrooms(x, inserts));
        plan.writes.add(x -> store.updateClassrooms(x, updates));
        return null;
      });
    }

    // ---- classes ----

    private Future<Void> classes() {
      Map<Sheet.Line, School> schools = resolveSchools();
      return store.classes(c, ids(schools)).map(existing -> {
        Map<String, SchoolClass> byKey = new HashMap<>();
        existing.forEach(k -> byKey.put(k.schoolId() + "/" + k.grade() + "/" + k.name(), k));
        Map<String, Integer> seen = new HashMap<>();
        List<SchoolClass> inserts = new ArrayList<>();
        List<SchoolClass> updates = new ArrayList<>();
        for (Sheet.Line l : sheet.lines()) {
          School s = schools.get(l);
          String grade = text(l, "grade", 20, true);
          String name = text(l, "name", 40, true);
          Integer size = integer(l, "size", 1, 200, true);
          if (s == null || grade == null || name == null || size == null || duplicate(seen, s.id() + "/" + grade + "/" + name, l, "name")) {
            continue;
          }
          SchoolClass old = byKey.get(s.id() + "/" + grade + "/" + name);
          boolean changed = old != null && old.size() != size;
          plan.count(old == null, changed);
          if (old == null) {
            inserts.add(new SchoolClass(UUID.randomUUID(), s.id(), grade, name, size));
          } else if (changed) {
            updates.add(new SchoolClass(old.id(), s.id(), grade, name, size));
          }
        }
        plan.writes.add(x -> store.insertClasses(x, inserts));
        plan.writes.add(x -> store.updateClasses(x, updates));
        return null;
      });
    }

    // ---- teachers ----

    private Future<Void> teachers() {
      Map<Sheet.Line, School> schools = resolveSchools();
      List<String> names = sheet.lines().stream().map(l -> sheet.get(l, "username").toLowerCase(Locale.ROOT)).distinct().toList();
      return store.users(c, names).compose(existing -> {
        Map<String, ImportStore.KnownUser> byName = new HashMap<>();
        existing.forEach(u -> byName.put(u.username().toLowerCase(Locale.ROOT), u));
        Map<String, Integer> seen = new HashMap<>();
        List<ImportStore.KnownUser> renamed = new ArrayList<>();
        List<ImportStore.KnownUser> profiles = new ArrayList<>();
        List<ImportStore.NewUser> fresh = new ArrayList<>();
        for (Sheet.Line l : sheet.lines()) {
          School s = schools.get(l);
          String username = text(l, "username", 64, true);
          if (username != null && !AuthService.USERNAME.matcher(username).matches()) {
            problem(l, "username", "用户名只能包含字母、数字和 _ . @ -，长度 2 到 64", "A username has 2 to 64 letters, digits or _ . @ -");
            username = null;
          }
          String displayName = text(l, "displayName", 64, false);
          List<String> subjects = subjects(l);
          Integer limit = integer(l, "maxWeeklyPeriods", 0, 40, false);
          boolean limitBad = !sheet.get(l, "maxWeeklyPeriods").isEmpty() && limit == null;
          if (s == null || username == null || subjects == null || limitBad || duplicate(seen, username.toLowerCase(Locale.ROOT), l, "username")) {
            continue;
          }
          ImportStore.KnownUser old = byName.get(username.toLowerCase(Locale.ROOT));
          if (old == null) {
            String role = s.kind() == School.Kind.RURAL || s.kind() == School.Kind.TEACHING_SITE ? Role.RURAL_TEACHER.wire() : Role.TEACHER.wire();
            UUID id = UUID.randomUUID();
            String password = dryRun ? null : password();
            plan.count(true, false);
            plan.accounts.add(new ImportResult.Account(username, password));
            fresh.add(new ImportStore.NewUser(id, username, displayName == null || displayName.isEmpty() ? username : displayName, password,
                role, s.id(), s.regionCode()));
            profiles.add(new ImportStore.KnownUser(id, username, null, Set.of(role), s.id(), subjects,
                limit == null ? Teacher.DEFAULT_WEEKLY_PERIODS : limit));
            continue;
          }
          if (!old.roles().contains(Role.TEACHER.wire()) && !old.roles().contains(Role.RURAL_TEACHER.wire())) {
            problem(l, "username", "用户 " + old.username() + " 已存在，但不是教师账号", "User " + old.username() + " exists but is not a teacher account");
            continue;
          }
          if (!s.id().equals(old.schoolId())) {
            String other = old.schoolId() == null || !schoolsById.containsKey(old.schoolId()) ? "—" : schoolsById.get(old.schoolId()).school().name();
            problem(l, "school", "教师 " + old.username() + " 属于另一所学校（" + other + "），导入不会调动教师",
                "Teacher " + old.username() + " belongs to another school (" + other + "); an import does not move teachers");
            continue;
          }
          // A blank cell keeps what is there: a file listing only usernames and subjects does not reset the limits.
          String newName = displayName == null || displayName.isEmpty() ? old.displayName() : displayName;
          List<String> oldSubjects = old.subjects() == null ? List.of() : old.subjects();
          List<String> newSubjects = sheet.get(l, "subjects").isEmpty() ? oldSubjects : subjects;
          int oldLimit = old.maxWeeklyPeriods() == null ? Teacher.DEFAULT_WEEKLY_PERIODS : old.maxWeeklyPeriods();
          int newLimit = limit == null ? oldLimit : limit;
          boolean nameChanged = !newName.equals(old.displayName());
          boolean profileChanged = old.subjects() == null || !newSubjects.equals(oldSubjects) || newLimit != oldLimit;
          plan.count(false, nameChanged || !newSubjects.equals(oldSubjects) || newLimit != oldLimit);
          ImportStore.KnownUser now = new ImportStore.KnownUser(old.id(), old.username(), newName, old.roles(), old.schoolId(), newSubjects, newLimit);
          if (nameChanged) {
            renamed.add(now);
          }
          if (profileChanged) {
            profiles.add(now);
          }
        }
        plan.writes.add(x -> hashAll(fresh).compose(hashed -> store.insertUsers(x, hashed)));
        plan.writes.add(x -> store.renameUsers(x, renamed));
        plan.writes.add(x -> store.saveProfiles(x, profiles));
        return Future.succeededFuture();
      });
    }

    /** bcrypt is slow on purpose: hash new accounts' passwords in parallel on worker threads. */
    private Future<List<ImportStore.NewUser>> hashAll(List<ImportStore.NewUser> users) {
      List<Future<ImportStore.NewUser>> hashed = users.stream().map(u -> vertx.executeBlocking(() -> new ImportStore.NewUser(u.id(),
          u.username(), u.displayName(), PasswordHasher.hash(u.passwordHash()), u.role(), u.schoolId(), u.regionCode()), false)).toList();
      return Future.all(hashed).map(all -> hashed.stream().map(Future::result).toList());
    }

    // ---- bell schedules ----

    private Future<Void> bellSchedules() {
      Map<Sheet.Line, School> schools = resolveSchools();
      Map<UUID, List<JsonObject>> bySchool = new LinkedHashMap<>();
      Map<JsonObject, Sheet.Line> lineOf = new java.util.IdentityHashMap<>();
      for (Sheet.Line l : sheet.lines()) {
        School s = schools.get(l);
        Integer number = integer(l, "period", 1, 20, true);
        String start = time(l, "start");
        String end = time(l, "end");
        JsonArray days = weekdays(l);
        if (s == null || number == null || start == null || end == null || days == null && !sheet.get(l, "weekdays").isEmpty()) {
          continue;
        }
        JsonObject p = new JsonObject().put("number", number).put("start", start).put("end", end);
        if (days != null) {
          p.put("weekdays", days);
        }
        lineOf.put(p, l);
        bySchool.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(p);
      }
      for (Map.Entry<UUID, List<JsonObject>> e : bySchool.entrySet()) {
        // Parse the school's periods one row more at a time, so an overlap is reported on the row that causes it.
        JsonArray periods = new JsonArray();
        BellSchedule parsed = null;
        for (JsonObject p : e.getValue()) {
          periods.add(p);
          try {
            parsed = BellSchedule.parse(periods);
          } catch (KelianException ex) {
            problem(lineOf.get(p), "period", ex);
            periods.remove(periods.size() - 1);
          }
        }
        if (parsed == null || periods.size() != e.getValue().size()) {
          continue;
        }
        BellSchedule now = parsed;
        Set<BellSchedule.Period> before = new HashSet<>(schoolsById.get(e.getKey()).bells().periods());
        Map<String, BellSchedule.Period> beforeByKey = new HashMap<>();
        before.forEach(p -> beforeByKey.put(p.number() + "/" + p.weekdays(), p));
        Set<String> kept = new HashSet<>();
        for (BellSchedule.Period p : now.periods()) {
          String key = p.number() + "/" + p.weekdays();
          kept.add(key);
          BellSchedule.Period old = beforeByKey.get(key);
          plan.count(old == null, old != null && !old.equals(p));
        }
        plan.removed += (int) beforeByKey.keySet().stream().filter(k -> !kept.contains(k)).count();
        if (!before.equals(new HashSet<>(now.periods()))) {
          plan.writes.add(x -> store.saveBells(x, e.getKey(), now));
        }
      }
      return Future.succeededFuture();
    }

    // ---- timetables ----

    private Future<Void> timetables() {
      Map<Sheet.Line, School> schools = resolveSchools();
      List<String> termNames = sheet.lines().stream().map(l -> sheet.get(l, "term")).filter(t -> !t.isEmpty()).distinct().toList();
      List<String> teacherNames = sheet.lines().stream().map(l -> sheet.get(l, "teacher").toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty())
          .distinct().toList();
      List<UUID> schoolIds = ids(schools);
      return store.terms(c, termNames).compose(terms -> store.classes(c, schoolIds).compose(classes -> store.classrooms(c, schoolIds)
          .compose(rooms -> store.users(c, teacherNames).compose(users -> store.entries(c, schoolIds, List.copyOf(terms.values()))
              .map(existing -> {
                planTimetables(schools, terms, classes, rooms, users, existing);
                return null;
              })))));
    }

    private void planTimetables(Map<Sheet.Line, School> schools, Map<String, UUID> terms, List<SchoolClass> classes, List<Classroom> rooms,
                                List<ImportStore.KnownUser> users, List<TimetableEntry> existing) {
      Map<String, SchoolClass> classByLabel = new HashMap<>();
      classes.forEach(k -> {
        classByLabel.put(k.schoolId() + "/" + k.grade() + "/" + k.name(), k);
        classByLabel.putIfAbsent(k.schoolId() + "//" + k.grade() + k.name(), k);
      });
      Map<String, Classroom> roomByName = new HashMap<>();
      rooms.forEach(r -> roomByName.put(r.schoolId() + "/" + r.name(), r));
      Map<String, ImportStore.KnownUser> userByName = new HashMap<>();
      users.forEach(u -> userByName.put(u.username().toLowerCase(Locale.ROOT), u));

      // All rows of a school and term replace that school's timetable for the term.
      Map<String, List<TimetableEntry>> files = new LinkedHashMap<>();
      Map<String, Integer> seen = new HashMap<>();
      boolean bad = false;
      for (Sheet.Line l : sheet.lines()) {
        School s = schools.get(l);
        String termName = text(l, "term", 40, true);
        UUID term = termName == null ? null : terms.get(termName);
        if (termName != null && term == null) {
          problem(l, "term", "学期「" + termName + "」不存在（请先在“学期”中建立）", "No term named \"" + termName + "\" (create it first)");
        }
        Integer weekday = weekday(l);
        Integer period = integer(l, "period", 1, 20, true);
        String subject = text(l, "subject", 20, true);
        SchoolClass k = s == null ? null : schoolClass(l, s, classByLabel);
        ImportStore.KnownUser teacher = teacher(l, userByName);
        Classroom room = null;
        String roomName = sheet.get(l, "classroom");
        if (s != null && !roomName.isEmpty()) {
          room = roomByName.get(s.id() + "/" + roomName);
          if (room == null) {
            problem(l, "classroom", s.name() + " 没有教室「" + roomName + "」", s.name() + " has no classroom \"" + roomName + "\"");
          }
        }
        BellSchedule.Period p = null;
        if (s != null && weekday != null && period != null) {
          p = schoolsById.get(s.id()).bells().period(DayOfWeek.of(weekday), period).orElse(null);
          if (p == null) {
            problem(l, "period", s.name() + " 的作息时间在周" + WEEKDAYS_ZH.get(weekday - 1) + "没有第 " + period + " 节（请先导入作息时间）",
                s.name() + "'s bell schedule has no period " + period + " on " + DayOfWeek.of(weekday).getDisplayName(java.time.format.TextStyle.FULL,
                    Locale.ENGLISH) + "s (import the bell schedule first)");
          }
        }
        boolean roomBad = !roomName.isEmpty() && room == null;
        boolean teacherBad = !sheet.get(l, "teacher").isEmpty() && teacher == null;
        if (s == null || term == null || weekday == null || period == null || subject == null || k == null || p == null || roomBad || teacherBad) {
          bad = true;
          continue;
        }
        if (duplicate(seen, term + "/" + k.id() + "/" + weekday + "/" + period, l, "period")) {
          bad = true;
          continue;
        }
        files.computeIfAbsent(s.id() + "/" + term, x -> new ArrayList<>()).add(new TimetableEntry(UUID.randomUUID(), s.id(), term, weekday,
            period, p.start(), p.end(), subject, teacher == null ? null : teacher.id(), k.id(), room == null ? null : room.id()));
      }
      if (bad) {
        return;
      }
      Map<String, List<TimetableEntry>> before = new HashMap<>();
      existing.forEach(e -> before.computeIfAbsent(e.schoolId() + "/" + e.termId(), x -> new ArrayList<>()).add(e));
      List<TimetableEntry> inserts = new ArrayList<>();
      List<TimetableEntry> updates = new ArrayList<>();
      List<UUID> deletes = new ArrayList<>();
      files.forEach((key, rows) -> {
        Map<String, TimetableEntry> old = new HashMap<>();
        before.getOrDefault(key, List.of()).forEach(e -> old.put(e.classId() + "/" + e.weekday() + "/" + e.period(), e));
        for (TimetableEntry e : rows) {
          TimetableEntry o = old.remove(e.classId() + "/" + e.weekday() + "/" + e.period());
          plan.count(o == null, o != null && !o.sameAs(e));
          if (o == null) {
            inserts.add(e);
          } else if (!o.sameAs(e)) {
            updates.add(new TimetableEntry(o.id(), e.schoolId(), e.termId(), e.weekday(), e.period(), e.starts(), e.ends(), e.subject(),
                e.teacherId(), e.classId(), e.classroomId()));
          }
        }
        plan.removed += old.size();
        old.values().forEach(e -> deletes.add(e.id()));
      });
      plan.writes.add(x -> store.deleteEntries(x, deletes));
      plan.writes.add(x -> store.updateEntries(x, updates));
      plan.writes.add(x -> store.insertEntries(x, inserts));
    }

    /** The class of a timetable row: one column 三年级1班 (grade and name written together), or two columns. */
    private SchoolClass schoolClass(Sheet.Line l, School s, Map<String, SchoolClass> byLabel) {
      String label = sheet.get(l, "class");
      String grade = sheet.get(l, "grade");
      String name = sheet.get(l, "className");
      SchoolClass k;
      String shown;
      if (!label.isEmpty()) {
        k = byLabel.get(s.id() + "//" + label.replaceAll("\\s", ""));
        shown = label;
      } else if (!grade.isEmpty() && !name.isEmpty()) {
        k = byLabel.get(s.id() + "/" + grade + "/" + name);
        shown = grade + name;
      } else {
        problem(l, sheet.has("class") ? "class" : "className", "缺少班级", "The class is missing");
        return null;
      }
      if (k == null) {
        problem(l, sheet.has("class") && !label.isEmpty() ? "class" : "className", s.name() + " 没有班级「" + shown + "」（请先导入班级）",
            s.name() + " has no class \"" + shown + "\" (import the classes first)");
      }
      return k;
    }

    private ImportStore.KnownUser teacher(Sheet.Line l, Map<String, ImportStore.KnownUser> byName) {
      String username = sheet.get(l, "teacher");
      if (username.isEmpty()) {
        // A lesson without a teacher (自习, a class watching a dedicated-classroom broadcast) still makes the class busy.
        return null;
      }
      ImportStore.KnownUser u = byName.get(username.toLowerCase(Locale.ROOT));
      if (u == null || !u.roles().contains(Role.TEACHER.wire()) && !u.roles().contains(Role.RURAL_TEACHER.wire())) {
        problem(l, "teacher", "没有用户名为「" + username + "」的教师（请先导入教师）", "No teacher with username \"" + username + "\" (import the teachers first)");
        return null;
      }
      // A teacher of another school is fine: itinerant teachers (走教) appear in the timetables of the schools they visit.
      return u;
    }

    // ---- shared row checks ----

    /** Each row's school, by id or by name (and region code when names repeat); rows of other schools are forbidden to school admins. */
    private Map<Sheet.Line, School> resolveSchools() {
      Map<Sheet.Line, School> out = new HashMap<>();
      boolean district = actor.has(Role.DISTRICT_ADMIN);
      for (Sheet.Line l : sheet.lines()) {
        ImportStore.KnownSchool k = null;
        String id = sheet.get(l, "schoolId");
        String name = sheet.get(l, "school");
        if (!id.isEmpty()) {
          try {
            k = schoolsById.get(UUID.fromString(id));
          } catch (IllegalArgumentException e) {
            // reported below
          }
          if (k == null) {
            problem(l, "schoolId", "学校编号「" + id + "」不存在", "No school with id \"" + id + "\"");
            continue;
          }
        } else if (name.isEmpty()) {
          problem(l, "school", "缺少学校", "The school is missing");
          continue;
        } else {
          String region = sheet.get(l, "regionCode");
          List<ImportStore.KnownSchool> found = schoolsByName.getOrDefault(name, List.of()).stream()
              .filter(s -> region.isEmpty() || region.equals(s.school().regionCode())).toList();
          if (found.isEmpty()) {
            problem(l, "school", "学校「" + name + "」不存在（请先导入学校，或检查名称）", "No school named \"" + name + "\" (import the schools first)");
            continue;
          }
          if (found.size() > 1) {
            problem(l, "school", "有 " + found.size() + " 所学校名为「" + name + "」：请加一列「地区代码」或「学校编号」区分",
                found.size() + " schools are named \"" + name + "\": add a regionCode or schoolId column");
            continue;
          }
          k = found.get(0);
        }
        if (!district && !k.school().id().equals(actor.schoolId())) {
          forbidden.add(l.line(), sheet.header(sheet.has("school") ? "school" : "schoolId"), "只能导入本校的数据，不能导入「" + k.school().name() + "」的",
              "You may import your own school's data only, not " + k.school().name() + "'s");
          continue;
        }
        out.put(l, k.school());
      }
      return out;
    }

    private List<UUID> ids(Map<Sheet.Line, School> schools) {
      return schools.values().stream().map(School::id).distinct().toList();
    }

    private boolean duplicate(Map<String, Integer> seen, String key, Sheet.Line l, String column) {
      Integer first = seen.putIfAbsent(key, l.line());
      if (first != null) {
        problem(l, column, "与第 " + first + " 行重复", "Repeats line " + first);
        return true;
      }
      return false;
    }

    private void problem(Sheet.Line l, String key, String zh, String en) {
      problems.add(l.line(), sheet.header(key), zh, en);
    }

    private void problem(Sheet.Line l, String key, KelianException e) {
      problems.add(l.line(), sheet.header(key), e);
    }

    private String text(Sheet.Line l, String key, int max, boolean required) {
      String v = sheet.get(l, key);
      try {
        return required ? Validate.text(v, sheet.header(key), max) : Validate.optionalText(v, sheet.header(key), max);
      } catch (KelianException e) {
        problem(l, key, e);
        return null;
      }
    }

    private Integer integer(Sheet.Line l, String key, int min, int max, boolean required) {
      String v = sheet.get(l, key);
      if (v.isEmpty() && !required) {
        return null;
      }
      try {
        // Spreadsheets write whole numbers as 45.0 now and then.
        int n = v.matches("\\d+\\.0+") ? Integer.parseInt(v.substring(0, v.indexOf('.'))) : Integer.parseInt(v);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem(l, key, "应为 " + min + " 到 " + max + " 之间的整数" + (v.isEmpty() ? "（不能为空）" : "，而不是「" + v + "」"),
          "Must be a whole number from " + min + " to " + max + (v.isEmpty() ? " (it is empty)" : ", not \"" + v + "\""));
      return null;
    }

    /** HH:mm, also as spreadsheets write it: 8:00, 08:00:00, or with a full-width colon. */
    private String time(Sheet.Line l, String key) {
      String v = sheet.get(l, key);
      Matcher m = TIME.matcher(v);
      if (!m.matches()) {
        problem(l, key, "时间应为 HH:mm（如 08:00），而不是「" + v + "」", "A time is HH:mm (e.g. 08:00), not \"" + v + "\"");
        return null;
      }
      return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))).toString();
    }

    /** 1-5, 1,3,5 or 1、3、5 (1 = Monday); null when blank (Monday to Friday) or bad (reported). */
    private JsonArray weekdays(Sheet.Line l) {
      String v = sheet.get(l, "weekdays");
      if (v.isEmpty()) {
        return null;
      }
      Set<Integer> days = new java.util.TreeSet<>();
      for (String part : v.split("[,，、;；\\s]+")) {
        Matcher range = Pattern.compile("([1-7])\\s*[-~～–至]\\s*([1-7])").matcher(part);
        if (range.matches() && range.group(1).compareTo(range.group(2)) <= 0) {
          for (int d = Integer.parseInt(range.group(1)); d <= Integer.parseInt(range.group(2)); d++) {
            days.add(d);
          }
        } else if (part.matches("[1-7]")) {
          days.add(Integer.parseInt(part));
        } else {
          problem(l, "weekdays", "星期应写作 1-5 或 1,3,5（1 为周一），而不是「" + v + "」", "Weekdays are written 1-5 or 1,3,5 (1 = Monday), not \"" + v + "\"");
          return null;
        }
      }
      JsonArray out = new JsonArray();
      days.forEach(out::add);
      return out;
    }

    /** 1 to 7, 周三, 星期三 or 三. */
    private Integer weekday(Sheet.Line l) {
      String v = sheet.get(l, "weekday").replaceFirst("^(星期|周|礼拜)", "");
      int i = v.equals("天") ? 6 : WEEKDAYS_ZH.indexOf(v);
      if (i >= 0) {
        return i + 1;
      }
      if (v.matches("[1-7]")) {
        return Integer.parseInt(v);
      }
      problem(l, "weekday", "星期应为 1（周一）到 7（周日），或写作 周三", "The weekday is 1 (Monday) to 7 (Sunday), or written 周三");
      return null;
    }

    private List<String> subjects(Sheet.Line l) {
      String v = sheet.get(l, "subjects");
      List<String> out = new ArrayList<>(new LinkedHashSet<>(SUBJECT_SEPARATORS.splitAsStream(v).map(String::strip).filter(s -> !s.isEmpty()).toList()));
      if (out.size() > 10 || out.stream().anyMatch(s -> s.codePointCount(0, s.length()) > 20)) {
        problem(l, "subjects", "任教学科最多 10 个，每个不超过 20 字，用 、 ; 或 | 分隔", "At most 10 subjects of up to 20 characters, separated by 、 ; or |");
        return null;
      }
      return List.copyOf(out);
    }

    private School.Kind schoolKind(Sheet.Line l) {
      String v = sheet.get(l, "kind");
      School.Kind k = School.Kind.parse(v.toLowerCase(Locale.ROOT)).orElse(SCHOOL_KINDS.get(v));
      if (k == null) {
        problem(l, "kind", "未知学校类型「" + v + "」（可选 urban/城区、town_seat/镇区、rural/乡村、teaching_site/教学点）",
            "Unknown school kind \"" + v + "\" (one of urban, town_seat, rural, teaching_site, or 城区, 镇区, 乡村, 教学点)");
      }
      return k;
    }

    private Classroom.Kind roomKind(Sheet.Line l) {
      String v = sheet.get(l, "kind");
      Classroom.Kind k = Classroom.Kind.parse(v.toLowerCase(Locale.ROOT)).orElse(ROOM_KINDS.get(v));
      if (k == null) {
        problem(l, "kind", "未知教室类型「" + v + "」（可选 ordinary/普通教室、recording/录播室、interactive/互动教室）",
            "Unknown classroom kind \"" + v + "\" (one of ordinary, recording, interactive, or 普通教室, 录播室, 互动教室)");
      }
      return k;
    }
  }

  private static String password() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      b.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
    }
    return b.toString();
  }
}
