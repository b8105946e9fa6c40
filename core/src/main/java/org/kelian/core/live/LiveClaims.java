package org.kelian.core.live;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * What a room token says: this user, in this role, may enter the room of this occurrence until {@code expiresAt}.
 * The peer id in the room is the user's id, so a user who reconnects takes back their own place.
 */
public record LiveClaims(UUID userId, String displayName, UUID sessionId, UUID occurrenceId, LiveRole role, UUID schoolId,
                         UUID classroomId, Instant expiresAt) {

  JsonObject toJson() {
    return new JsonObject().put("u", userId.toString()).put("n", displayName).put("s", sessionId.toString())
        .put("o", occurrenceId.toString()).put("r", role.wire()).put("sc", schoolId == null ? null : schoolId.toString())
        .put("cr", classroomId == null ? null : classroomId.toString()).put("exp", expiresAt.getEpochSecond());
  }

  static LiveClaims fromJson(JsonObject j) {
    return new LiveClaims(UUID.fromString(j.getString("u")), j.getString("n"), UUID.fromString(j.getString("s")),
        UUID.fromString(j.getString("o")), LiveRole.parse(j.getString("r")).orElseThrow(), uuid(j.getString("sc")),
        uuid(j.getString("cr")), Instant.ofEpochSecond(j.getLong("exp")));
  }

  private static UUID uuid(String s) {
    return s == null ? null : UUID.fromString(s);
  }
}
