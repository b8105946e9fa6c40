package org.kelian.core.schedule;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One reason a session cannot be scheduled as asked: a teacher, classroom or class already busy (naming the other
 * session and its time), a receiving school whose bell schedule does not hold the time, or two schools that are
 * not paired. Both languages travel with it; the page shows the reader's. A teacher, classroom or class busy in its
 * school's own timetable names the timetable entry instead of another session.
 */
public record Conflict(String kind, UUID otherSessionId, String otherTitle, OffsetDateTime startsAt, OffsetDateTime endsAt,
                       UUID resourceId, String messageZh, String messageEn, UUID timetableEntryId) {

  public Conflict(String kind, UUID otherSessionId, String otherTitle, OffsetDateTime startsAt, OffsetDateTime endsAt,
                  UUID resourceId, String messageZh, String messageEn) {
    this(kind, otherSessionId, otherTitle, startsAt, endsAt, resourceId, messageZh, messageEn, null);
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("kind", kind).put("message", messageZh).put("messageEn", messageEn);
    if (otherSessionId != null) {
      j.put("sessionId", otherSessionId.toString()).put("sessionTitle", otherTitle);
    }
    if (startsAt != null) {
      j.put("startsAt", startsAt.toString()).put("endsAt", endsAt.toString());
    }
    if (resourceId != null) {
      j.put("resourceId", resourceId.toString());
    }
    if (timetableEntryId != null) {
      j.put("timetableEntryId", timetableEntryId.toString()).put("timetableEntry", otherTitle);
    }
    return j;
  }
}
