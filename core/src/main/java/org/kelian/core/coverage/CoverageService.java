package org.kelian.core.coverage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.kelian.core.auth.User;
import org.kelian.core.db.Db;
import org.kelian.core.error.KelianException;
import org.kelian.core.resource.ResourceType;

/**
 * Computes coverage from the catalog and the published resources. A "lesson" here is the leaf teachers attach to:
 * a lesson node, or a unit without lessons. A resource attached to a lesson's section counts for the lesson.
 */
public final class CoverageService {

  // One row per leaf of the chosen volumes, with the types of published resources attached to it or below it.
  private static final String LEAVES = """
      with vols as (
        select id, path_titles from catalog_nodes
        where kind = 'volume'
          and ($1::text is null or path_titles[1] = $1) and ($2::text is null or path_titles[2] = $2)
          and ($3::text is null or path_titles[3] = $3) and ($4::text is null or path_titles[4] = $4)
          and ($5::text is null or path_titles[5] = $5)
      ), leaves as (
        select n.id, n.title, n.kind, n.path_ids, n.path_titles, n.position from catalog_nodes n join vols v on n.path_ids[5] = v.id
        where n.kind = 'lesson' or (n.kind = 'unit' and not exists (select 1 from catalog_nodes c where c.parent_id = n.id))
      )
      select l.id, l.title, l.kind, l.path_ids[5] as volume_id, v.path_titles as volume_path,
             l.path_ids[6] as unit_id, l.path_titles[6] as unit_title, u.position as unit_position, l.position,
             coalesce((select array_agg(distinct r.type) from catalog_nodes d
                        join resource_catalog_nodes rcn on rcn.node_id = d.id
                        join resources r on r.id = rcn.resource_id and r.status = 'published'
                       where d.path_ids @> array[l.id]), '{}') as types
      from leaves l join vols v on v.id = l.path_ids[5] join catalog_nodes u on u.id = l.path_ids[6]
      order by v.path_titles, u.position, l.position
      """;

  private final Pool pool;

  public CoverageService(Pool pool) {
    this.pool = pool;
  }

  public record Filter(String stage, String subject, String edition, String grade, String volume, String type) {
  }

  /** Open to every signed-in user: teachers see what is missing too, and may fill it. */
  public Future<Coverage> coverage(User actor, Filter f) {
    if (f.type() != null && ResourceType.parse(f.type()).isEmpty()) {
      throw KelianException.invalid("unknown_type", "未知资源类型：" + f.type(), "Unknown resource type: " + f.type());
    }
    return Db.recover(pool.preparedQuery(LEAVES).execute(Tuple.of(f.stage(), f.subject(), f.edition(), f.grade(), f.volume()))
        .map(rows -> build(rows, f.type())));
  }

  private static Coverage build(Iterable<Row> rows, String type) {
    Map<UUID, VolumeAcc> volumes = new LinkedHashMap<>();
    for (Row r : rows) {
      List<String> types = Arrays.asList(r.getArrayOfStrings("types"));
      boolean covered = type == null ? !types.isEmpty() : types.contains(type);
      VolumeAcc v = volumes.computeIfAbsent(r.getUUID("volume_id"),
          id -> new VolumeAcc(id, String.join(" / ", Arrays.asList(r.getArrayOfStrings("volume_path")))));
      UnitAcc u = v.units.computeIfAbsent(r.getUUID("unit_id"), id -> new UnitAcc(id, r.getString("unit_title")));
      u.lessons++;
      if (covered) {
        u.covered++;
      } else {
        u.missing.add(new Coverage.Lesson(r.getUUID("id"), r.getString("title")));
      }
      types.forEach(t -> u.byType.merge(t, 1, Integer::sum));
    }
    List<Coverage.Volume> out = new ArrayList<>();
    for (VolumeAcc v : volumes.values()) {
      List<Coverage.Unit> units = new ArrayList<>();
      int lessons = 0;
      int covered = 0;
      Map<String, Integer> byType = new TreeMap<>();
      for (UnitAcc u : v.units.values()) {
        units.add(new Coverage.Unit(u.id, u.title, u.lessons, u.covered, u.byType, u.missing));
        lessons += u.lessons;
        covered += u.covered;
        u.byType.forEach((t, n) -> byType.merge(t, n, Integer::sum));
      }
      out.add(new Coverage.Volume(v.id, v.path, lessons, covered, byType, units));
    }
    return new Coverage(type, out);
  }

  private static final class VolumeAcc {
    final UUID id;
    final String path;
    final Map<UUID, UnitAcc> units = new LinkedHashMap<>();

    VolumeAcc(UUID id, String path) {
      this.id = id;
      this.path = path;
    }
  }

  private static final class UnitAcc {
    final UUID id;
    final String title;
    final Map<String, Integer> byType = new TreeMap<>();
    final List<Coverage.Lesson> missing = new ArrayList<>();
    int lessons;
    int covered;

    UnitAcc(UUID id, String title) {
      this.id = id;
      this.title = title;
    }
  }
}
