package org.kelian.core.schedule;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.kelian.core.auth.User;
import org.kelian.core.db.Db;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;

/**
 * What supervisors read (督导): per pairing or alliance and per month, the occurrences that were due (their start
 * has passed), how many were held (live or ended), how many cancelled, and the share held (开课比 = held / due);
 * and the hours taught from each lead classroom per week. A session counts for a group when its lead school and
 * at least one receiving school are both in the group.
 */
public final class DeliveryReport {

  private static final String BY_MONTH = "with gs as (select id as gid, core_school_id as school_id from school_groups where kind = $1 "
      + "union select m.group_id, m.school_id from school_group_members m join school_groups g on g.id = m.group_id and g.kind = $1) "
      + "select g.id, g.name, to_char(o.starts_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, count(*) as due, "
      + "count(*) filter (where o.status in ('live', 'ended')) as held, count(*) filter (where o.status = 'cancelled') as cancelled "
      + "from school_groups g join class_sessions cs on exists (select 1 from gs where gs.gid = g.id and gs.school_id = cs.lead_school_id) "
      + "and exists (select 1 from session_receivers r join gs on gs.gid = g.id and gs.school_id = r.school_id where r.session_id = cs.id) "
      + "join session_occurrences o on o.session_id = cs.id and o.starts_at >= $2 and o.starts_at < $3 and o.starts_at < now() "
      + "where g.kind = $1 group by g.id, g.name, month order by g.name, month";
  private static final String HOURS = "select c.id, c.name, s.name as school, to_char(o.starts_at at time zone 'Asia/Shanghai', 'IYYY-\"W\"IW') as week, "
      + "sum(extract(epoch from coalesce(o.actual_end, o.ends_at) - coalesce(o.actual_start, o.starts_at))) / 3600.0 as hours "
      + "from session_occurrences o join class_sessions cs on cs.id = o.session_id join classrooms c on c.id = cs.lead_classroom_id "
      + "join schools s on s.id = c.school_id where o.status in ('live', 'ended') and o.starts_at >= $1 and o.starts_at < $2 "
      + "group by c.id, c.name, s.name, week order by s.name, c.name, week";

  private final Pool pool;

  public DeliveryReport(Pool pool) {
    this.pool = pool;
  }

  public record Month(String month, long due, long held, long cancelled) {
    public double share() {
      return due == 0 ? 0 : Math.round(held * 1000.0 / due) / 1000.0;
    }
  }

  public record Group(UUID id, String name, List<Month> months) {
    Month total() {
      return new Month("total", months.stream().mapToLong(Month::due).sum(), months.stream().mapToLong(Month::held).sum(),
          months.stream().mapToLong(Month::cancelled).sum());
    }
  }

  public record ClassroomWeek(UUID classroomId, String classroom, String school, String week, double hours) {
  }

  public record Report(String kind, LocalDate from, LocalDate to, List<Group> groups, List<ClassroomWeek> hours) {

    public JsonObject toJson() {
      JsonArray gs = new JsonArray();
      groups.forEach(g -> {
        JsonArray ms = new JsonArray();
        g.months().forEach(m -> ms.add(month(m)));
        gs.add(new JsonObject().put("id", g.id().toString()).put("name", g.name()).put("months", ms).put("total", month(g.total())));
      });
      JsonArray hs = new JsonArray();
      hours.forEach(h -> hs.add(new JsonObject().put("classroomId", h.classroomId().toString()).put("classroom", h.classroom())
          .put("school", h.school()).put("week", h.week()).put("hours", Math.round(h.hours() * 100) / 100.0)));
      return new JsonObject().put("kind", kind).put("from", from.toString()).put("to", to.toString()).put("groups", gs).put("classroomHours", hs);
    }

    /** One row per group and month, then the totals; with a BOM so that Excel opens it as UTF-8. */
    public String toCsv(boolean english) {
      StringBuilder out = new StringBuilder(english ? "\uFEFFgroup,month,due,held,cancelled,share held\r\n"
          : "\uFEFF结对/联盟,月份,应开课次,实开课次,取消课次,开课比\r\n");
      for (Group g : groups) {
        List<Month> rows = new ArrayList<>(g.months());
        rows.add(g.total());
        for (Month m : rows) {
          out.append(csv(g.name())).append(',').append("total".equals(m.month()) ? (english ? "total" : "合计") : m.month()).append(',')
              .append(m.due()).append(',').append(m.held()).append(',').append(m.cancelled()).append(',').append(m.share()).append("\r\n");
        }
      }
      return out.toString();
    }

    private static JsonObject month(Month m) {
      return new JsonObject().put("month", m.month()).put("due", m.due()).put("held", m.held()).put("cancelled", m.cancelled())
          .put("shareHeld", m.share());
    }

    private static String csv(String s) {
      String safe = s.startsWith("=") || s.startsWith("+") || s.startsWith("-") || s.startsWith("@") ? "'" + s : s;
      return safe.contains(",") || safe.contains("\"") || safe.contains("\n") ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
  }

  /** The report for pairings or alliances between two dates (Asia/Shanghai, inclusive), for admins. */
  public Future<Report> report(User actor, String kind, String from, String to) {
    if (!actor.isAdmin()) {
      throw KelianException.forbidden();
    }
    String k = kind == null || kind.isBlank() ? "pairing" : kind;
    if (!k.equals("pairing") && !k.equals("alliance")) {
      throw KelianException.invalid("invalid_kind", "kind 应为 pairing 或 alliance", "kind is pairing or alliance");
    }
    LocalDate f = Validate.date(from, "from");
    LocalDate t = Validate.date(to, "to");
    if (t.isBefore(f) || t.isAfter(f.plusYears(1))) {
      throw KelianException.invalid("invalid_range", "日期范围应在一年以内，且结束不早于开始", "The range is at most a year, ending on or after its start");
    }
    OffsetDateTime start = f.atStartOfDay(Conflicts.ZONE).toOffsetDateTime();
    OffsetDateTime end = t.plusDays(1).atStartOfDay(Conflicts.ZONE).toOffsetDateTime();
    return Db.recover(pool.preparedQuery(BY_MONTH).execute(Tuple.of(k, start, end)).compose(rows -> {
      Map<UUID, Group> groups = new LinkedHashMap<>();
      rows.forEach(r -> groups.computeIfAbsent(r.getUUID("id"), id -> new Group(id, r.getString("name"), new ArrayList<>()))
          .months().add(new Month(r.getString("month"), r.getLong("due"), r.getLong("held"), r.getLong("cancelled"))));
      return pool.preparedQuery(HOURS).execute(Tuple.of(start, end)).map(hours -> {
        List<ClassroomWeek> hs = new ArrayList<>();
        hours.forEach(r -> hs.add(new ClassroomWeek(r.getUUID("id"), r.getString("name"), r.getString("school"), r.getString("week"),
            r.getNumeric("hours").doubleValue())));
        return new Report(k, f, t, List.copyOf(groups.values()), hs);
      });
    }));
  }

}
