package org.kelian.core.schedule;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A subscription URL for the calendar of one teacher or one classroom. The secret in its URL is shown once, when
 * the feed is made; only its hash is stored, so a lost URL is revoked and replaced rather than looked up.
 */
public record CalendarFeed(UUID id, String kind, UUID resourceId, UUID createdBy, OffsetDateTime createdAt) {

  /** The path of a feed's URL: it ends in {@code .ics}, which some calendar apps expect. */
  public static String path(String token) {
    return "/calendar/" + token + ".ics";
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("kind", kind).put("resourceId", resourceId.toString())
        .put("createdBy", createdBy.toString()).put("createdAt", createdAt == null ? null : createdAt.toString());
  }
}
