package org.kelian.core.org;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;

/**
 * The county's schools and what they hold. District admins manage everything; a school admin manages the
 * classrooms and classes of their own school; every signed-in user may read (schedules name them all).
 * Updates take the fields given and keep the others.
 */
public final class OrgService {

  /** Six digits for a county (区县), nine or twelve for a town (乡镇) or village, as in the national codes. */
  private static final Pattern REGION = Pattern.compile("\\d{6}(\\d{3}(\\d{3})?)?");

  private final OrgStore store;

  public OrgService(OrgStore store) {
    this.store = store;
  }

  /** Fields of a school, classroom or class as a request gives them; null where not given. */
  public record Fields(String name, String kind, String regionCode, UUID schoolId, Integer capacity, String grade, Integer size) {
  }

  public Future<School> createSchool(User actor, Fields f) {
    requireDistrictAdmin(actor);
    School s = new School(UUID.randomUUID(), Validate.text(f.name(), "name", 100), schoolKind(f.kind()), region(f.regionCode()));
    return store.insert(s).map(s);
  }

  public Future<School> updateSchool(User actor, UUID id, Fields f) {
    requireDistrictAdmin(actor);
    return school(id).compose(old -> {
      School s = new School(id, f.name() == null ? old.name() : Validate.text(f.name(), "name", 100),
          f.kind() == null ? old.kind() : schoolKind(f.kind()), f.regionCode() == null ? old.regionCode() : region(f.regionCode()));
      return store.update(s).map(s);
    });
  }

  public Future<School> school(UUID id) {
    return store.school(id).map(o -> o.orElseThrow(() -> KelianException.notFound("school_not_found", "学校不存在", "School not found")));
  }

  public Future<OrgStore.Page<School>> schools(String kind, String regionPrefix, int limit, int offset) {
    if (regionPrefix != null && !regionPrefix.matches("\\d{1,12}")) {
      throw KelianException.invalid("invalid_region", "地区代码应为数字", "A region code is digits");
    }
    return store.schools(kind == null || kind.isBlank() ? null : schoolKind(kind), regionPrefix, limit, offset);
  }

  public Future<Classroom> createClassroom(User actor, Fields f) {
    UUID schoolId = required(f.schoolId());
    return manageable(actor, schoolId).compose(x -> {
      Classroom c = new Classroom(UUID.randomUUID(), schoolId, Validate.text(f.name(), "name", 60), roomKind(f.kind()),
          inRange(f.capacity(), "capacity", 1, 1000));
      return store.insert(c).map(c);
    });
  }

  public Future<Classroom> updateClassroom(User actor, UUID id, Fields f) {
    return classroom(id).compose(old -> manageable(actor, old.schoolId()).compose(x -> {
      Classroom c = new Classroom(id, old.schoolId(), f.name() == null ? old.name() : Validate.text(f.name(), "name", 60),
          f.kind() == null ? old.kind() : roomKind(f.kind()), f.capacity() == null ? old.capacity() : inRange(f.capacity(), "capacity", 1, 1000));
      return store.update(c).map(c);
    }));
  }

  public Future<Void> deleteClassroom(User actor, UUID id) {
    return classroom(id).compose(old -> manageable(actor, old.schoolId())).compose(x -> store.deleteClassroom(id));
  }

  public Future<Classroom> classroom(UUID id) {
    return store.classroom(id).map(o -> o.orElseThrow(() -> KelianException.notFound("classroom_not_found", "教室不存在", "Classroom not found")));
  }

  public Future<OrgStore.Page<Classroom>> classrooms(UUID schoolId, int limit, int offset) {
    return store.classrooms(schoolId, limit, offset);
  }

  public Future<SchoolClass> createClass(User actor, Fields f) {
    UUID schoolId = required(f.schoolId());
    return manageable(actor, schoolId).compose(x -> {
      SchoolClass c = new SchoolClass(UUID.randomUUID(), schoolId, Validate.text(f.grade(), "grade", 20), Validate.text(f.name(), "name", 40),
          inRange(f.size(), "size", 1, 200));
      return store.insert(c).map(c);
    });
  }

  public Future<SchoolClass> updateClass(User actor, UUID id, Fields f) {
    return schoolClass(id).compose(old -> manageable(actor, old.schoolId()).compose(x -> {
      SchoolClass c = new SchoolClass(id, old.schoolId(), f.grade() == null ? old.grade() : Validate.text(f.grade(), "grade", 20),
          f.name() == null ? old.name() : Validate.text(f.name(), "name", 40), f.size() == null ? old.size() : inRange(f.size(), "size", 1, 200));
      return store.update(c).map(c);
    }));
  }

  public Future<Void> deleteClass(User actor, UUID id) {
    return schoolClass(id).compose(old -> manageable(actor, old.schoolId())).compose(x -> store.deleteClass(id));
  }

  public Future<SchoolClass> schoolClass(UUID id) {
    return store.schoolClass(id).map(o -> o.orElseThrow(() -> KelianException.notFound("class_not_found", "班级不存在", "Class not found")));
  }

  public Future<OrgStore.Page<SchoolClass>> classes(UUID schoolId, int limit, int offset) {
    return store.classes(schoolId, limit, offset);
  }

  /** A new pairing or alliance, as a request gives it. */
  public record NewGroup(String name, UUID coreSchoolId, List<UUID> memberSchoolIds, String startsOn, String endsOn, List<String> subjects) {
  }

  /**
   * Creates a pairing or an alliance (district admins). A pairing's core school is urban or a town seat and its
   * members are schools further from town (rural schools, teaching sites, or a town seat under an urban school).
   */
  public Future<SchoolGroup> createGroup(User actor, SchoolGroup.Kind kind, NewGroup g) {
    requireDistrictAdmin(actor);
    String name = Validate.text(g.name(), "name", 100);
    UUID core = required(g.coreSchoolId(), "coreSchoolId");
    List<UUID> members = g.memberSchoolIds() == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(g.memberSchoolIds()));
    if (members.isEmpty() || members.size() > 500) {
      throw KelianException.invalid("members_required", "请选择 1 到 500 所成员学校", "Choose between 1 and 500 member schools");
    }
    if (members.contains(core)) {
      throw KelianException.invalid("core_is_member", "主校不能同时是成员学校", "The core school cannot also be a member");
    }
    LocalDate starts = Validate.date(g.startsOn(), "startsOn");
    LocalDate ends = g.endsOn() == null || g.endsOn().isBlank() ? null : Validate.date(g.endsOn(), "endsOn");
    if (ends != null && ends.isBefore(starts)) {
      throw KelianException.invalid("ends_before_start", "结束日期早于开始日期", "The end date is before the start date");
    }
    List<String> subjects = new ArrayList<>();
    for (String subject : g.subjects() == null ? List.<String>of() : g.subjects()) {
      subjects.add(Validate.text(subject, "subjects", 20));
    }
    List<UUID> all = new ArrayList<>(members);
    all.add(core);
    return store.schools(all).compose(found -> {
      Map<UUID, School> byId = new HashMap<>();
      found.forEach(s -> byId.put(s.id(), s));
      List<String> missing = all.stream().filter(id -> !byId.containsKey(id)).map(UUID::toString).toList();
      if (!missing.isEmpty()) {
        throw KelianException.notFound("school_not_found", "学校不存在：" + String.join("、", missing), "No such school: " + String.join(", ", missing));
      }
      if (kind == SchoolGroup.Kind.PAIRING) {
        School c = byId.get(core);
        List<String> wrong = members.stream().map(byId::get).filter(m -> m.kind().ordinal() <= c.kind().ordinal()).map(School::name).toList();
        if (c.kind().ordinal() > School.Kind.TOWN_SEAT.ordinal() || !wrong.isEmpty()) {
          throw KelianException.invalid("pairing_direction", "结对的主校应为城区或镇区学校，成员应为更基层的学校（不符合：" + String.join("、",
              wrong.isEmpty() ? List.of(c.name()) : wrong) + "）", "A pairing's core school is urban or a town seat and its members are "
              + "further from town (not so: " + String.join(", ", wrong.isEmpty() ? List.of(c.name()) : wrong) + ")");
        }
      }
      SchoolGroup group = new SchoolGroup(UUID.randomUUID(), kind, name, core, members, starts, ends, subjects);
      return store.insert(group).map(group);
    });
  }

  public Future<SchoolGroup> group(SchoolGroup.Kind kind, UUID id) {
    return store.group(kind, id).map(o -> o.orElseThrow(() -> groupNotFound(kind)));
  }

  public Future<OrgStore.Page<SchoolGroup>> groups(SchoolGroup.Kind kind, UUID schoolId, int limit, int offset) {
    return store.groups(kind, schoolId, limit, offset);
  }

  public Future<Void> deleteGroup(User actor, SchoolGroup.Kind kind, UUID id) {
    requireDistrictAdmin(actor);
    return store.deleteGroup(kind, id).map(deleted -> {
      if (!deleted) {
        throw groupNotFound(kind);
      }
      return null;
    });
  }

  /** A new term as a request gives it: holidays [{name, from, to}], make-up days [{date, runsAs: 1..7}]. */
  public Future<Term> createTerm(User actor, String rawName, String startsOn, String endsOn, io.vertx.core.json.JsonArray holidays,
                                 io.vertx.core.json.JsonArray makeUpDays) {
    requireDistrictAdmin(actor);
    String name = Validate.text(rawName, "name", 40);
    LocalDate starts = Validate.date(startsOn, "startsOn");
    LocalDate ends = Validate.date(endsOn, "endsOn");
    if (ends.isBefore(starts) || ends.isAfter(starts.plusYears(1))) {
      throw KelianException.invalid("invalid_term_dates", "学期应在开始日期之后一年内结束", "A term ends after it starts, within a year");
    }
    List<Term.Holiday> hs = new ArrayList<>();
    for (Object o : holidays == null ? new io.vertx.core.json.JsonArray() : holidays) {
      if (!(o instanceof io.vertx.core.json.JsonObject h)) {
        throw KelianException.invalid("invalid_holiday", "假期应为 {name, from, to}", "A holiday is {name, from, to}");
      }
      LocalDate from = Validate.date(h.getValue("from") instanceof String f ? f : null, "holidays.from");
      LocalDate to = Validate.date(h.getValue("to") instanceof String t ? t : null, "holidays.to");
      if (to.isBefore(from)) {
        throw KelianException.invalid("invalid_holiday", "假期的结束日期早于开始日期", "A holiday ends before it starts");
      }
      hs.add(new Term.Holiday(Validate.text(h.getValue("name") instanceof String n ? n : null, "holidays.name", 40), from, to));
    }
    List<Term.MakeUpDay> ms = new ArrayList<>();
    for (Object o : makeUpDays == null ? new io.vertx.core.json.JsonArray() : makeUpDays) {
      if (!(o instanceof io.vertx.core.json.JsonObject m) || !(m.getValue("runsAs") instanceof Integer runsAs) || runsAs < 1 || runsAs > 5) {
        throw KelianException.invalid("invalid_make_up_day", "调休日应为 {date, runsAs: 1（周一）到 5（周五）}",
            "A make-up day is {date, runsAs: 1 (Monday) to 5 (Friday)}");
      }
      ms.add(new Term.MakeUpDay(Validate.date(m.getValue("date") instanceof String d ? d : null, "makeUpDays.date"), java.time.DayOfWeek.of(runsAs)));
    }
    Term t = new Term(UUID.randomUUID(), name, starts, ends, hs, ms);
    return store.insert(t).map(t);
  }

  public Future<Term> term(UUID id) {
    return store.term(id).map(o -> o.orElseThrow(() -> KelianException.notFound("term_not_found", "学期不存在", "Term not found")));
  }

  public Future<OrgStore.Page<Term>> terms(int limit, int offset) {
    return store.terms(limit, offset);
  }

  public Future<Void> deleteTerm(User actor, UUID id) {
    requireDistrictAdmin(actor);
    return store.deleteTerm(id).map(deleted -> {
      if (!deleted) {
        throw KelianException.notFound("term_not_found", "学期不存在", "Term not found");
      }
      return null;
    });
  }

  /** A school's bell schedule, in one lookup (the row is the school's: none means no such school). */
  public Future<BellSchedule> bellSchedule(UUID schoolId) {
    return store.bellSchedule(schoolId).map(o -> o.orElseThrow(() -> KelianException.notFound("school_not_found", "学校不存在", "School not found")));
  }

  /** Replaces a school's bell schedule (district admins, or the school's admin). */
  public Future<BellSchedule> saveBellSchedule(User actor, UUID schoolId, io.vertx.core.json.JsonArray periods) {
    BellSchedule b = BellSchedule.parse(periods);
    return manageable(actor, schoolId).compose(s -> store.save(schoolId, b)).map(b);
  }

  /** Registers a region (district admins); its level and parent follow from the code, and the parent must exist. */
  public Future<Region> createRegion(User actor, String code, String name) {
    requireDistrictAdmin(actor);
    Region.Level level = Region.levelOf(code).orElseThrow(() -> KelianException.invalid("invalid_region",
        "地区代码应为省（如 370000）、市（371300）、区县（371321）的 6 位代码或乡镇的 9 位代码",
        "A region code is 6 digits for a province (370000), city (371300) or county (371321), or 9 for a town"));
    Region r = new Region(code, Validate.text(name, "name", 60), level, Region.parentOf(code, level));
    Future<Void> parent = r.parentCode() == null ? Future.succeededFuture() : store.region(r.parentCode()).map(p -> {
      if (p.isEmpty()) {
        throw KelianException.invalid("parent_region_missing", "请先登记上级地区 " + r.parentCode(), "Register the parent region " + r.parentCode() + " first");
      }
      return null;
    });
    return parent.compose(x -> store.insert(r)).map(r);
  }

  public Future<Region> regionByCode(String code) {
    return store.region(code).map(o -> o.orElseThrow(() -> KelianException.notFound("region_not_found", "地区不存在", "Region not found")));
  }

  public Future<OrgStore.Page<Region>> regions(String parentCode, int limit, int offset) {
    if (parentCode != null && Region.levelOf(parentCode).isEmpty()) {
      throw KelianException.invalid("invalid_region", "上级地区代码无效", "Invalid parent region code");
    }
    return store.regions(parentCode, limit, offset);
  }

  public Future<Teacher> teacher(UUID id) {
    return store.teacher(id).map(o -> o.orElseThrow(() -> KelianException.notFound("teacher_not_found", "教师不存在（须为某校的教师账号）",
        "Teacher not found (a teacher is a user of a school with the teacher role)")));
  }

  public Future<OrgStore.Page<Teacher>> teachers(UUID schoolId, String subject, int limit, int offset) {
    return store.teachers(schoolId, subject == null || subject.isBlank() ? null : subject, limit, offset);
  }

  /** Sets what a teacher teaches and their weekly limit of cross-school periods (the school's admin or a district admin). */
  public Future<Teacher> saveTeacher(User actor, UUID id, List<String> subjects, Integer maxWeeklyPeriods) {
    if (subjects == null || subjects.size() > 10) {
      throw KelianException.invalid("invalid_subjects", "请给出 0 到 10 个任教学科", "Give 0 to 10 subjects taught");
    }
    List<String> clean = new ArrayList<>(new LinkedHashSet<>(subjects.stream().map(x -> Validate.text(x, "subjects", 20)).toList()));
    int limit = maxWeeklyPeriods == null ? Teacher.DEFAULT_WEEKLY_PERIODS : inRange(maxWeeklyPeriods, "maxWeeklyPeriods", 0, 40);
    return teacher(id).compose(old -> manageable(actor, old.schoolId()).compose(x -> {
      Teacher t = new Teacher(id, old.username(), old.displayName(), old.schoolId(), List.copyOf(clean), limit);
      return store.save(t).map(t);
    }));
  }

  private static KelianException groupNotFound(SchoolGroup.Kind kind) {
    return kind == SchoolGroup.Kind.PAIRING ? KelianException.notFound("pairing_not_found", "结对不存在", "Pairing not found")
        : KelianException.notFound("alliance_not_found", "联盟不存在", "Alliance not found");
  }


  /** The school exists and this admin may manage what it holds. */
  private Future<School> manageable(User actor, UUID schoolId) {
    boolean allowed = actor.has(Role.DISTRICT_ADMIN) || actor.has(Role.SCHOOL_ADMIN) && schoolId.equals(actor.schoolId());
    if (!allowed) {
      return Future.failedFuture(KelianException.forbidden());
    }
    return school(schoolId);
  }

  private static void requireDistrictAdmin(User actor) {
    if (!actor.has(Role.DISTRICT_ADMIN)) {
      throw KelianException.forbidden();
    }
  }

  private static UUID required(UUID schoolId) {
    return required(schoolId, "schoolId");
  }

  private static UUID required(UUID id, String field) {
    if (id == null) {
      throw KelianException.invalid("field_required", "缺少必填字段：" + field, "Missing required field: " + field);
    }
    return id;
  }

  private static int inRange(Integer v, String field, int min, int max) {
    if (v == null || v < min || v > max) {
      throw KelianException.invalid("out_of_range", "字段 " + field + " 应在 " + min + " 到 " + max + " 之间",
          "Field " + field + " must be between " + min + " and " + max);
    }
    return v;
  }

  private static String region(String code) {
    if (code == null || !REGION.matcher(code).matches()) {
      throw KelianException.invalid("invalid_region", "地区代码应为 6 位（区县）、9 位（乡镇）或 12 位数字",
          "A region code is 6 (county), 9 (town) or 12 digits");
    }
    return code;
  }

  private static School.Kind schoolKind(String s) {
    return School.Kind.parse(s).orElseThrow(() -> KelianException.invalid("unknown_school_kind",
        "未知学校类型：" + s + "（可选 urban、town_seat、rural、teaching_site）",
        "Unknown school kind: " + s + " (one of urban, town_seat, rural, teaching_site)"));
  }

  private static Classroom.Kind roomKind(String s) {
    return Classroom.Kind.parse(s).orElseThrow(() -> KelianException.invalid("unknown_classroom_kind",
        "未知教室类型：" + s + "（可选 ordinary、recording、interactive）",
        "Unknown classroom kind: " + s + " (one of ordinary, recording, interactive)"));
  }
}
