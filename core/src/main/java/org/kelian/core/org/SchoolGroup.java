package org.kelian.core.org;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.kelian.core.WireNames;

/**
 * A pairing (城乡结对: an urban core school and the rural schools it supports) or an alliance / school group
 * (联盟, 教育集团: a core school and its members), for a period and, where it says so, for some subjects only.
 */
public record SchoolGroup(UUID id, Kind kind, String name, UUID coreSchoolId, List<UUID> memberIds, LocalDate startsOn,
                          LocalDate endsOn, List<String> subjects) {

  public enum Kind {
    PAIRING, ALLIANCE;

    public String wire() {
      return WireNames.of(this);
    }

    /** The collection the API serves it under. */
    public String collection() {
      return this == PAIRING ? "pairings" : "alliances";
    }
  }

  public JsonObject toJson() {
    JsonArray members = new JsonArray();
    memberIds.forEach(m -> members.add(m.toString()));
    return new JsonObject().put("id", id.toString()).put("kind", kind.wire()).put("name", name)
        .put("coreSchoolId", coreSchoolId.toString()).put("memberSchoolIds", members).put("startsOn", startsOn.toString())
        .put("endsOn", endsOn == null ? null : endsOn.toString()).put("subjects", new JsonArray(subjects));
  }

  /** Whether these two schools are in this group (core and member, or two members) on that day. */
  public boolean links(UUID a, UUID b, LocalDate day) {
    boolean active = !day.isBefore(startsOn) && (endsOn == null || !day.isAfter(endsOn));
    List<UUID> all = new java.util.ArrayList<>(memberIds);
    all.add(coreSchoolId);
    return active && !a.equals(b) && all.contains(a) && all.contains(b);
  }
}
