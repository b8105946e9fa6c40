package org.kelian.core.org;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * A teacher: a user of a school (role teacher or rural_teacher) with the subjects they teach and how many
 * cross-school periods a week they may take on (automatic scheduling never plans more).
 */
public record Teacher(UUID id, String username, String displayName, UUID schoolId, List<String> subjects, int maxWeeklyPeriods) {

  /** Without a profile a teacher teaches nothing across schools yet; this is the limit a new profile starts with. */
  public static final int DEFAULT_WEEKLY_PERIODS = 8;

  public boolean teaches(String subject) {
    return subjects.contains(subject);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("username", username).put("displayName", displayName)
        .put("schoolId", schoolId == null ? null : schoolId.toString()).put("subjects", new JsonArray(subjects))
        .put("maxWeeklyPeriods", maxWeeklyPeriods);
  }
}
