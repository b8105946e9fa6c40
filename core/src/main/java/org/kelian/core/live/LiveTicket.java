package org.kelian.core.live;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/** What POST /sessions/{id}/join answers, before the web layer adds the ICE servers and the signaling URL. */
public record LiveTicket(String token, LiveClaims claims, String title, OffsetDateTime startsAt, OffsetDateTime endsAt, String status,
                         int meshLimit, boolean recording, String sessionType) {

  public JsonObject toJson() {
    return new JsonObject().put("token", token).put("role", claims.role().wire()).put("peerId", claims.userId().toString())
        .put("displayName", claims.displayName()).put("sessionId", claims.sessionId().toString())
        .put("occurrenceId", claims.occurrenceId().toString()).put("title", title).put("startsAt", startsAt.toString())
        .put("endsAt", endsAt.toString()).put("status", status).put("expiresAt", claims.expiresAt().toString())
        .put("meshLimit", meshLimit).put("recording", recording).put("sessionType", sessionType);
  }
}
