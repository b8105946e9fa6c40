package org.kelian.core.schedule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A scheduled class session and its occurrences (one, or one per teaching week of its term). */
public record ClassSession(UUID id, String type, String title, UUID leadSchoolId, UUID leadClassroomId, UUID leadTeacherId,
                           UUID leadClassId, String subject, String grade, UUID catalogNodeId, UUID termId, boolean weekly,
                           boolean live, boolean recording, boolean replay, String liveAudience, String replayAudience,
                           String bellOverride, String pairingOverride, List<SessionRequest.Receiver> receivers,
                           List<Occurrence> occurrences) {

  public record Occurrence(UUID id, OffsetDateTime startsAt, OffsetDateTime endsAt, String status, OffsetDateTime actualStart,
                           OffsetDateTime actualEnd) {
    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString())
          .put("status", status).put("actualStart", actualStart == null ? null : actualStart.toString())
          .put("actualEnd", actualEnd == null ? null : actualEnd.toString());
    }
  }

  public JsonObject toJson() {
    JsonArray rs = new JsonArray();
    receivers.forEach(r -> rs.add(new JsonObject().put("schoolId", r.schoolId().toString())
        .put("classroomId", r.classroomId() == null ? null : r.classroomId().toString())
        .put("classId", r.classId() == null ? null : r.classId().toString())
        .put("teacherId", r.teacherId() == null ? null : r.teacherId().toString())
        .put("confirmedAt", r.confirmedAt() == null ? null : r.confirmedAt().toString())));
    JsonArray os = new JsonArray();
    occurrences.forEach(o -> os.add(o.toJson()));
    return new JsonObject().put("id", id.toString()).put("type", type).put("title", title)
        .put("leadSchoolId", leadSchoolId.toString()).put("leadClassroomId", leadClassroomId.toString())
        .put("leadTeacherId", leadTeacherId.toString()).put("leadClassId", leadClassId == null ? null : leadClassId.toString())
        .put("subject", subject).put("grade", grade).put("catalogNodeId", catalogNodeId == null ? null : catalogNodeId.toString())
        .put("termId", termId == null ? null : termId.toString()).put("weekly", weekly).put("live", live).put("recording", recording)
        .put("replay", replay).put("liveAudience", liveAudience).put("replayAudience", replayAudience)
        .put("bellOverride", bellOverride).put("pairingOverride", pairingOverride).put("receivers", rs).put("occurrences", os);
  }
}
