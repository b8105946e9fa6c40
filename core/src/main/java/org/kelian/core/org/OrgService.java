package org.kelian.core.org;

import io.vertx.core.Future;
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
    if (schoolId == null) {
      throw KelianException.invalid("field_required", "缺少必填字段：schoolId", "Missing required field: schoolId");
    }
    return schoolId;
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
