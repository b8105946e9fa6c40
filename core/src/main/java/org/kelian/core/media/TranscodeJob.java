package org.kelian.core.media;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import org.kelian.core.WireNames;

/** One transcode of one file version of a resource; its error is the reason a teacher can read. */
public record TranscodeJob(UUID id, UUID resourceId, String resourceTitle, String sourceKey, Status status, double progress,
                           int attempts, String errorCode, String errorZh, String errorEn, OffsetDateTime notBefore,
                           OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

  public enum Status {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public String wire() {
      return WireNames.of(this);
    }

    public static Status parse(String s) {
      return Status.valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  public JsonObject toJson(boolean zh) {
    JsonObject j = new JsonObject().put("id", id.toString()).put("resourceId", resourceId.toString())
        .put("resourceTitle", resourceTitle).put("status", status.wire()).put("progress", Math.round(progress * 1000) / 10.0)
        .put("attempts", attempts).put("createdAt", createdAt.toString());
    if (errorCode != null) {
      j.put("error", new JsonObject().put("code", errorCode).put("message", zh ? errorZh : errorEn));
    }
    if (status == Status.QUEUED && notBefore != null && notBefore.isAfter(OffsetDateTime.now())) {
      j.put("retryAt", notBefore.toString());
    }
    if (startedAt != null) {
      j.put("startedAt", startedAt.toString());
    }
    if (finishedAt != null) {
      j.put("finishedAt", finishedAt.toString());
    }
    return j;
  }
}
