package org.kelian.core.imports;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.kelian.core.db.Db;
import org.kelian.core.org.BellSchedule;
import org.kelian.core.org.Classroom;
import org.kelian.core.org.School;
import org.kelian.core.org.SchoolClass;

/** What an import reads and writes in PostgreSQL, all on the one connection of the import's transaction. */
public final class ImportStore {

  /** Imports run one at a time: they are rare, and two imports of the same school must not interleave their diffs. */
  private static final long LOCK_KEY = 0x6b656c69616e494dL; // "kelianIM"
  private static final String LOCK = "select pg_advisory_xact_lock($1)";
  private static final String SCHOOLS = "select id, name, kind, region_code, bell_schedule from schools";
  private static final String CLASSROOMS = "select * from classrooms where school_id = any($1)";
  private static final String CLASSES = "select * from classes where school_id = any($1)";
  private static final String USERS = "select u.id, u.username, u.display_name, u.roles, u.school_id, p.subjects, p.max_weekly_periods "
      + "from users u left join teacher_profiles p on p.user_id = u.id where lower(u.username) = any($1) and not u.disabled";
  private static final String TERMS = "select id, name from terms where name = any($1)";
  private static final String ENTRIES = "select * from timetable_entries where school_id = any($1) and term_id = any($2)";

  private static final String INSERT_SCHOOL = "insert into schools (id, name, kind, region_code) values ($1, $2, $3, $4)";
  private static final String UPDATE_SCHOOL = "update schools set kind = $2, updated_at = now() where id = $1";
  private static final String INSERT_ROOM = "insert into classrooms (id, school_id, name, kind, capacity) values ($1, $2, $3, $4, $5)";
  private static final String UPDATE_ROOM = "update classrooms set kind = $2, capacity = $3 where id = $1";
  private static final String INSERT_CLASS = "insert into classes (id, school_id, grade, name, size) values ($1, $2, $3, $4, $5)";
  private static final String UPDATE_CLASS = "update classes set size = $2 where id = $1";
  private static final String INSERT_USER = "insert into users (id, username, display_name, password_hash, roles, school_id, region_code) "
      + "values ($1, $2, $3, $4, $5, $6, $7)";
  private static final String UPDATE_USER = "update users set display_name = $2, updated_at = now() where id = $1";
  private static final String SAVE_PROFILE = "insert into teacher_profiles (user_id, subjects, max_weekly_periods) values ($1, $2, $3) "
      + "on conflict (user_id) do update set subjects = excluded.subjects, max_weekly_periods = excluded.max_weekly_periods, updated_at = now()";
  private static final String SAVE_BELLS = "update schools set bell_schedule = $2, updated_at = now() where id = $1";
  private static final String INSERT_ENTRY = "insert into timetable_entries (id, school_id, term_id, weekday, period, starts, ends, subject, "
      + "teacher_id, class_id, classroom_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
  private static final String UPDATE_ENTRY = "update timetable_entries set starts = $2, ends = $3, subject = $4, teacher_id = $5, "
      + "classroom_id = $6 where id = $1";
  private static final String DELETE_ENTRIES = "delete from timetable_entries where id = any($1)";
  private static final String LIST = "select e.*, u.display_name as teacher_name, c.grade as class_grade, c.name as class_name, "
      + "r.name as classroom_name from timetable_entries e left join users u on u.id = e.teacher_id "
      + "left join classes c on c.id = e.class_id left join classrooms r on r.id = e.classroom_id "
      + "where ($1::uuid is null or e.school_id = $1) and ($2::uuid is null or e.term_id = $2) and ($3::uuid is null or e.teacher_id = $3) "
      + "and ($4::uuid is null or e.class_id = $4) order by e.school_id, e.weekday, e.period, c.grade, c.name limit 2000";

  /** A school with its bell schedule. */
  record KnownSchool(School school, BellSchedule bells) {
  }

  /** An account that an import may name as a teacher; subjects and limit are null without a profile. */
  record KnownUser(UUID id, String username, String displayName, Set<String> roles, UUID schoolId, List<String> subjects,
                   Integer maxWeeklyPeriods) {
  }

  /** A new account: its password hash is computed before the write. */
  record NewUser(UUID id, String username, String displayName, String passwordHash, String role, UUID schoolId, String regionCode) {
  }

  private final Pool pool;

  public ImportStore(Pool pool) {
    this.pool = pool;
  }

  <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY)).compose(x -> work.apply(c))));
  }

  Future<List<KnownSchool>> schools(SqlConnection c) {
    return c.query(SCHOOLS).execute().map(rows -> {
      List<KnownSchool> out = new ArrayList<>();
      rows.forEach(r -> out.add(new KnownSchool(new School(r.getUUID("id"), r.getString("name"),
          School.Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT)), r.getString("region_code")),
          BellSchedule.parse(Db.jsonArray(r, "bell_schedule")))));
      return out;
    });
  }

  Future<List<Classroom>> classrooms(SqlConnection c, List<UUID> schools) {
    return c.preparedQuery(CLASSROOMS).execute(uuids(schools)).map(rows -> {
      List<Classroom> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Classroom(r.getUUID("id"), r.getUUID("school_id"), r.getString("name"),
          Classroom.Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT)), r.getInteger("capacity"))));
      return out;
    });
  }

  Future<List<SchoolClass>> classes(SqlConnection c, List<UUID> schools) {
    return c.preparedQuery(CLASSES).execute(uuids(schools)).map(rows -> {
      List<SchoolClass> out = new ArrayList<>();
      rows.forEach(r -> out.add(new SchoolClass(r.getUUID("id"), r.getUUID("school_id"), r.getString("grade"), r.getString("name"),
          r.getInteger("size"))));
      return out;
    });
  }

  Future<List<KnownUser>> users(SqlConnection c, List<String> lowerCaseNames) {
    return c.preparedQuery(USERS).execute(Tuple.tuple().addArrayOfString(lowerCaseNames.toArray(new String[0]))).map(rows -> {
      List<KnownUser> out = new ArrayList<>();
      rows.forEach(r -> out.add(new KnownUser(r.getUUID("id"), r.getString("username"), r.getString("display_name"),
          Set.copyOf(Arrays.asList(r.getArrayOfStrings("roles"))), r.getUUID("school_id"),
          r.getArrayOfStrings("subjects") == null ? null : Arrays.asList(r.getArrayOfStrings("subjects")), r.getInteger("max_weekly_periods"))));
      return out;
    });
  }

  /** Terms by name: name → id. */
  Future<java.util.Map<String, UUID>> terms(SqlConnection c, List<String> names) {
    return c.preparedQuery(TERMS).execute(Tuple.tuple().addArrayOfString(names.toArray(new String[0]))).map(rows -> {
      java.util.Map<String, UUID> out = new java.util.HashMap<>();
      rows.forEach(r -> out.put(r.getString("name"), r.getUUID("id")));
      return out;
    });
  }

  Future<List<TimetableEntry>> entries(SqlConnection c, List<UUID> schools, List<UUID> terms) {
    return c.preparedQuery(ENTRIES).execute(uuids(schools).addArrayOfUUID(terms.toArray(new UUID[0])))
        .map(rows -> {
          List<TimetableEntry> out = new ArrayList<>();
          rows.forEach(r -> out.add(entry(r)));
          return out;
        });
  }

  Future<Void> insertSchools(SqlConnection c, List<School> schools) {
    return batch(c, INSERT_SCHOOL, schools, s -> Tuple.of(s.id(), s.name(), s.kind().wire(), s.regionCode()));
  }

  Future<Void> updateSchools(SqlConnection c, List<School> schools) {
    return batch(c, UPDATE_SCHOOL, schools, s -> Tuple.of(s.id(), s.kind().wire()));
  }

  Future<Void> insertClassrooms(SqlConnection c, List<Classroom> rooms) {
    return batch(c, INSERT_ROOM, rooms, r -> Tuple.of(r.id(), r.schoolId(), r.name(), r.kind().wire(), r.capacity()));
  }

  Future<Void> updateClassrooms(SqlConnection c, List<Classroom> rooms) {
    return batch(c, UPDATE_ROOM, rooms, r -> Tuple.of(r.id(), r.kind().wire(), r.capacity()));
  }

  Future<Void> insertClasses(SqlConnection c, List<SchoolClass> classes) {
    return batch(c, INSERT_CLASS, classes, k -> Tuple.of(k.id(), k.schoolId(), k.grade(), k.name(), k.size()));
  }

  Future<Void> updateClasses(SqlConnection c, List<SchoolClass> classes) {
    return batch(c, UPDATE_CLASS, classes, k -> Tuple.of(k.id(), k.size()));
  }

  Future<Void> insertUsers(SqlConnection c, List<NewUser> users) {
    return batch(c, INSERT_USER, users, u -> Tuple.tuple().addUUID(u.id()).addString(u.username()).addString(u.displayName())
        .addString(u.passwordHash()).addArrayOfString(new String[] {u.role()}).addUUID(u.schoolId()).addString(u.regionCode()));
  }

  Future<Void> renameUsers(SqlConnection c, List<KnownUser> users) {
    return batch(c, UPDATE_USER, users, u -> Tuple.of(u.id(), u.displayName()));
  }

  Future<Void> saveProfiles(SqlConnection c, List<KnownUser> users) {
    return batch(c, SAVE_PROFILE, users, u -> Tuple.tuple().addUUID(u.id()).addArrayOfString(u.subjects().toArray(new String[0]))
        .addInteger(u.maxWeeklyPeriods()));
  }

  Future<Void> saveBells(SqlConnection c, UUID school, BellSchedule bells) {
    return c.preparedQuery(SAVE_BELLS).execute(Tuple.of(school, bells.toJson())).mapEmpty();
  }

  Future<Void> insertEntries(SqlConnection c, List<TimetableEntry> entries) {
    return batch(c, INSERT_ENTRY, entries, e -> Tuple.tuple().addUUID(e.id()).addUUID(e.schoolId()).addUUID(e.termId())
        .addShort((short) e.weekday()).addShort((short) e.period()).addLocalTime(e.starts()).addLocalTime(e.ends()).addString(e.subject())
        .addUUID(e.teacherId()).addUUID(e.classId()).addUUID(e.classroomId()));
  }

  Future<Void> updateEntries(SqlConnection c, List<TimetableEntry> entries) {
    return batch(c, UPDATE_ENTRY, entries, e -> Tuple.tuple().addUUID(e.id()).addLocalTime(e.starts()).addLocalTime(e.ends())
        .addString(e.subject()).addUUID(e.teacherId()).addUUID(e.classroomId()));
  }

  Future<Void> deleteEntries(SqlConnection c, List<UUID> ids) {
    return ids.isEmpty() ? Future.succeededFuture() : c.preparedQuery(DELETE_ENTRIES).execute(uuids(ids)).mapEmpty();
  }

  /** Timetable entries by school, term, teacher and class (each optional), with the names a reader needs. */
  public Future<List<JsonObject>> list(UUID school, UUID term, UUID teacher, UUID schoolClass) {
    return Db.recover(pool.preparedQuery(LIST).execute(Tuple.of(school, term, teacher, schoolClass)).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      rows.forEach(r -> out.add(entry(r).toJson().put("teacherName", r.getString("teacher_name"))
          .put("className", r.getString("class_grade") == null ? null : r.getString("class_grade") + r.getString("class_name"))
          .put("classroomName", r.getString("classroom_name"))));
      return out;
    }));
  }

  private static TimetableEntry entry(Row r) {
    return new TimetableEntry(r.getUUID("id"), r.getUUID("school_id"), r.getUUID("term_id"), r.getShort("weekday"), r.getShort("period"),
        r.getLocalTime("starts"), r.getLocalTime("ends"), r.getString("subject"), r.getUUID("teacher_id"), r.getUUID("class_id"),
        r.getUUID("classroom_id"));
  }

  private static Tuple uuids(List<UUID> ids) {
    return Tuple.tuple().addArrayOfUUID(ids.toArray(new UUID[0]));
  }

  private static <T> Future<Void> batch(SqlConnection c, String sql, List<T> items, Function<T, Tuple> args) {
    return items.isEmpty() ? Future.succeededFuture() : c.preparedQuery(sql).executeBatch(items.stream().map(args).toList()).mapEmpty();
  }
}
