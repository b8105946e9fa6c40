package org.kelian.core.org;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.kelian.core.db.Db;

/** Schools, classrooms and classes in PostgreSQL. */
public final class OrgStore {

  private static final String INSERT_SCHOOL = "insert into schools (id, name, kind, region_code) values ($1, $2, $3, $4)";
  private static final String UPDATE_SCHOOL = "update schools set name = $2, kind = $3, region_code = $4, updated_at = now() where id = $1";
  private static final String SCHOOL = "select * from schools where id = $1";
  private static final String SCHOOLS = "select *, count(*) over () as total from schools "
      + "where ($1::text is null or kind = $1) and ($2::text is null or region_code like $2 || '%') order by region_code, name limit $3 offset $4";

  private static final String INSERT_ROOM = "insert into classrooms (id, school_id, name, kind, capacity) values ($1, $2, $3, $4, $5)";
  private static final String UPDATE_ROOM = "update classrooms set name = $2, kind = $3, capacity = $4 where id = $1";
  private static final String ROOM = "select * from classrooms where id = $1";
  private static final String ROOMS = "select *, count(*) over () as total from classrooms where ($1::uuid is null or school_id = $1) "
      + "order by school_id, name limit $2 offset $3";
  private static final String DELETE_ROOM = "delete from classrooms where id = $1";

  private static final String INSERT_CLASS = "insert into classes (id, school_id, grade, name, size) values ($1, $2, $3, $4, $5)";
  private static final String UPDATE_CLASS = "update classes set grade = $2, name = $3, size = $4 where id = $1";
  private static final String CLASS = "select * from classes where id = $1";
  private static final String CLASSES = "select *, count(*) over () as total from classes where ($1::uuid is null or school_id = $1) "
      + "order by school_id, grade, name limit $2 offset $3";
  private static final String DELETE_CLASS = "delete from classes where id = $1";

  private static final String INSERT_GROUP = "insert into school_groups (id, kind, name, core_school_id, starts_on, ends_on, subjects) "
      + "values ($1, $2, $3, $4, $5, $6, $7)";
  private static final String INSERT_MEMBER = "insert into school_group_members (group_id, school_id) values ($1, $2)";
  private static final String GROUP_COLUMNS = "select g.*, (select coalesce(array_agg(m.school_id order by m.school_id), '{}') "
      + "from school_group_members m where m.group_id = g.id) as members";
  private static final String GROUP = GROUP_COLUMNS + " from school_groups g where g.id = $1 and g.kind = $2";
  private static final String GROUPS = GROUP_COLUMNS + ", count(*) over () as total from school_groups g where g.kind = $1 "
      + "and ($2::uuid is null or g.core_school_id = $2 or exists (select 1 from school_group_members m where m.group_id = g.id "
      + "and m.school_id = $2)) order by g.starts_on desc, g.name limit $3 offset $4";
  private static final String DELETE_GROUP = "delete from school_groups where id = $1 and kind = $2";
  private static final String SCHOOLS_BY_ID = "select * from schools where id = any($1)";

  private static final String INSERT_TERM = "insert into terms (id, name, starts_on, ends_on, holidays, make_up_days) values ($1, $2, $3, $4, $5, $6)";
  private static final String TERM = "select * from terms where id = $1";
  private static final String TERMS = "select *, count(*) over () as total from terms order by starts_on desc limit $1 offset $2";
  private static final String DELETE_TERM = "delete from terms where id = $1";
  private static final String BELLS = "select bell_schedule from schools where id = $1";
  private static final String TEACHER_COLUMNS = "select u.id, u.username, u.display_name, u.school_id, "
      + "coalesce(p.subjects, '{}') as subjects, coalesce(p.max_weekly_periods, " + Teacher.DEFAULT_WEEKLY_PERIODS + ") as max_weekly_periods "
      + "from users u left join teacher_profiles p on p.user_id = u.id "
      + "where not u.disabled and u.roles && array['teacher', 'rural_teacher'] and u.school_id is not null ";
  private static final String TEACHER = TEACHER_COLUMNS + "and u.id = $1";
  private static final String TEACHERS = TEACHER_COLUMNS.replace("select u.id", "select count(*) over () as total, u.id")
      + "and ($1::uuid is null or u.school_id = $1) and ($2::text is null or p.subjects @> array[$2]) order by u.username limit $3 offset $4";
  private static final String SAVE_TEACHER = "insert into teacher_profiles (user_id, subjects, max_weekly_periods) values ($1, $2, $3) "
      + "on conflict (user_id) do update set subjects = excluded.subjects, max_weekly_periods = excluded.max_weekly_periods, updated_at = now()";
  private static final String INSERT_REGION = "insert into regions (code, name, level, parent_code) values ($1, $2, $3, $4)";
  private static final String REGION_BY_CODE = "select * from regions where code = $1";
  private static final String REGIONS = "select *, count(*) over () as total from regions where "
      + "($1::text is null and parent_code is null or parent_code = $1) order by code limit $2 offset $3";
  private static final String SAVE_BELLS = "update schools set bell_schedule = $2, updated_at = now() where id = $1";

  public record Page<T>(List<T> items, long total) {
  }

  private final Pool pool;

  public OrgStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> insert(School s) {
    return run(INSERT_SCHOOL, Tuple.of(s.id(), s.name(), s.kind().wire(), s.regionCode()));
  }

  public Future<Void> update(School s) {
    return run(UPDATE_SCHOOL, Tuple.of(s.id(), s.name(), s.kind().wire(), s.regionCode()));
  }

  public Future<Optional<School>> school(UUID id) {
    return one(SCHOOL, id, OrgStore::school);
  }

  public Future<Page<School>> schools(School.Kind kind, String regionPrefix, int limit, int offset) {
    return page(SCHOOLS, Tuple.of(kind == null ? null : kind.wire(), regionPrefix, limit, offset), OrgStore::school);
  }

  public Future<Void> insert(Classroom c) {
    return run(INSERT_ROOM, Tuple.of(c.id(), c.schoolId(), c.name(), c.kind().wire(), c.capacity()));
  }

  public Future<Void> update(Classroom c) {
    return run(UPDATE_ROOM, Tuple.of(c.id(), c.name(), c.kind().wire(), c.capacity()));
  }

  public Future<Optional<Classroom>> classroom(UUID id) {
    return one(ROOM, id, OrgStore::classroom);
  }

  public Future<Page<Classroom>> classrooms(UUID schoolId, int limit, int offset) {
    return page(ROOMS, Tuple.of(schoolId, limit, offset), OrgStore::classroom);
  }

  public Future<Void> deleteClassroom(UUID id) {
    return run(DELETE_ROOM, Tuple.of(id));
  }

  public Future<Void> insert(SchoolClass c) {
    return run(INSERT_CLASS, Tuple.of(c.id(), c.schoolId(), c.grade(), c.name(), c.size()));
  }

  public Future<Void> update(SchoolClass c) {
    return run(UPDATE_CLASS, Tuple.of(c.id(), c.grade(), c.name(), c.size()));
  }

  public Future<Optional<SchoolClass>> schoolClass(UUID id) {
    return one(CLASS, id, OrgStore::schoolClass);
  }

  public Future<Page<SchoolClass>> classes(UUID schoolId, int limit, int offset) {
    return page(CLASSES, Tuple.of(schoolId, limit, offset), OrgStore::schoolClass);
  }

  public Future<Void> deleteClass(UUID id) {
    return run(DELETE_CLASS, Tuple.of(id));
  }

  public Future<Void> insert(SchoolGroup g) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(INSERT_GROUP).execute(Tuple.from(List.of(g.id(), g.kind().wire(), g.name(),
            g.coreSchoolId(), g.startsOn())).addValue(g.endsOn()).addArrayOfString(g.subjects().toArray(new String[0])))
        .compose(x -> c.preparedQuery(INSERT_MEMBER).executeBatch(g.memberIds().stream().map(m -> Tuple.of(g.id(), m)).toList()))
        .mapEmpty()));
  }

  public Future<Optional<SchoolGroup>> group(SchoolGroup.Kind kind, UUID id) {
    return Db.recover(pool.preparedQuery(GROUP).execute(Tuple.of(id, kind.wire()))
        .map(rows -> rows.size() == 0 ? Optional.<SchoolGroup>empty() : Optional.of(group(rows.iterator().next()))));
  }

  public Future<Page<SchoolGroup>> groups(SchoolGroup.Kind kind, UUID schoolId, int limit, int offset) {
    return page(GROUPS, Tuple.of(kind.wire(), schoolId, limit, offset), OrgStore::group);
  }

  public Future<Boolean> deleteGroup(SchoolGroup.Kind kind, UUID id) {
    return Db.recover(pool.preparedQuery(DELETE_GROUP).execute(Tuple.of(id, kind.wire())).map(r -> r.rowCount() == 1));
  }

  public Future<List<School>> schools(List<UUID> ids) {
    return Db.recover(pool.preparedQuery(SCHOOLS_BY_ID).execute(Tuple.tuple().addArrayOfUUID(ids.toArray(new UUID[0]))).map(rows -> {
      List<School> out = new ArrayList<>();
      rows.forEach(r -> out.add(school(r)));
      return out;
    }));
  }

  public Future<Void> insert(Term t) {
    JsonObject j = t.toJson();
    return run(INSERT_TERM, Tuple.of(t.id(), t.name(), t.startsOn(), t.endsOn(), j.getJsonArray("holidays"), j.getJsonArray("makeUpDays")));
  }

  public Future<Optional<Term>> term(UUID id) {
    return one(TERM, id, OrgStore::term);
  }

  public Future<Page<Term>> terms(int limit, int offset) {
    return page(TERMS, Tuple.of(limit, offset), OrgStore::term);
  }

  public Future<Boolean> deleteTerm(UUID id) {
    return Db.recover(pool.preparedQuery(DELETE_TERM).execute(Tuple.of(id)).map(r -> r.rowCount() == 1));
  }

  public Future<Optional<BellSchedule>> bellSchedule(UUID schoolId) {
    return one(BELLS, schoolId, r -> BellSchedule.parse(Db.jsonArray(r, "bell_schedule")));
  }

  public Future<Void> save(UUID schoolId, BellSchedule b) {
    return run(SAVE_BELLS, Tuple.of(schoolId, b.toJson()));
  }

  private static Term term(Row r) {
    return new Term(r.getUUID("id"), r.getString("name"), r.getLocalDate("starts_on"), r.getLocalDate("ends_on"),
        Term.holidays(Db.jsonArray(r, "holidays")), Term.makeUpDays(Db.jsonArray(r, "make_up_days")));
  }

  private static SchoolGroup group(Row r) {
    return new SchoolGroup(r.getUUID("id"), SchoolGroup.Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT)), r.getString("name"),
        r.getUUID("core_school_id"), List.of(r.getArrayOfUUIDs("members")), r.getLocalDate("starts_on"), r.getLocalDate("ends_on"),
        List.of(r.getArrayOfStrings("subjects")));
  }

  private Future<Void> run(String sql, Tuple args) {
    return Db.recover(pool.preparedQuery(sql).execute(args).mapEmpty());
  }

  private <T> Future<Optional<T>> one(String sql, UUID id, Function<Row, T> map) {
    return Db.recover(pool.preparedQuery(sql).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.<T>empty() : Optional.of(map.apply(rows.iterator().next()))));
  }

  private <T> Future<Page<T>> page(String sql, Tuple args, Function<Row, T> map) {
    return Db.recover(pool.preparedQuery(sql).execute(args).map((RowSet<Row> rows) -> {
      List<T> items = new ArrayList<>();
      long total = 0;
      for (Row r : rows) {
        items.add(map.apply(r));
        total = r.getLong("total");
      }
      return new Page<>(items, total);
    }));
  }

  public Future<Optional<Teacher>> teacher(UUID id) {
    return one(TEACHER, id, OrgStore::teacher);
  }

  public Future<Page<Teacher>> teachers(UUID schoolId, String subject, int limit, int offset) {
    return page(TEACHERS, Tuple.of(schoolId, subject, limit, offset), OrgStore::teacher);
  }

  public Future<Void> save(Teacher t) {
    return run(SAVE_TEACHER, Tuple.of(t.id(), t.subjects().toArray(new String[0]), t.maxWeeklyPeriods()));
  }

  private static Teacher teacher(Row r) {
    return new Teacher(r.getUUID("id"), r.getString("username"), r.getString("display_name"), r.getUUID("school_id"),
        List.of(r.getArrayOfStrings("subjects")), r.getInteger("max_weekly_periods"));
  }

  public Future<Void> insert(Region r) {
    return run(INSERT_REGION, Tuple.of(r.code(), r.name(), r.level().wire(), r.parentCode()));
  }

  public Future<Optional<Region>> region(String code) {
    return Db.recover(pool.preparedQuery(REGION_BY_CODE).execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? Optional.<Region>empty() : Optional.of(region(rows.iterator().next()))));
  }

  /** The regions directly under a parent, or the provinces when the parent is null. */
  public Future<Page<Region>> regions(String parentCode, int limit, int offset) {
    return page(REGIONS, Tuple.of(parentCode, limit, offset), OrgStore::region);
  }

  private static Region region(Row r) {
    return new Region(r.getString("code"), r.getString("name"), Region.Level.valueOf(r.getString("level").toUpperCase(Locale.ROOT)),
        r.getString("parent_code"));
  }

  private static School school(Row r) {
    return new School(r.getUUID("id"), r.getString("name"), School.Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT)),
        r.getString("region_code"));
  }

  private static Classroom classroom(Row r) {
    return new Classroom(r.getUUID("id"), r.getUUID("school_id"), r.getString("name"),
        Classroom.Kind.valueOf(r.getString("kind").toUpperCase(Locale.ROOT)), r.getInteger("capacity"));
  }

  private static SchoolClass schoolClass(Row r) {
    return new SchoolClass(r.getUUID("id"), r.getUUID("school_id"), r.getString("grade"), r.getString("name"), r.getInteger("size"));
  }
}
