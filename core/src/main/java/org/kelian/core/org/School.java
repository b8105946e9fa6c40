package org.kelian.core.org;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.WireNames;

/** A school of the county, of one kind, in a region (six-digit county code or longer town code). */
public record School(UUID id, String name, Kind kind, String regionCode) {

  /** 城区学校, 镇区（乡镇中心）学校, 乡村学校, 教学点: in this order, from town outwards (pairings rely on it). */
  public enum Kind {
    URBAN, TOWN_SEAT, RURAL, TEACHING_SITE;

    public String wire() {
      return WireNames.of(this);
    }

    public static Optional<Kind> parse(String s) {
      return WireNames.parse(Kind.class, s);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("name", name).put("kind", kind.wire()).put("regionCode", regionCode);
  }
}
