package org.kelian.core.org;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.WireNames;

/** A room of a school: an ordinary classroom, a recording room (录播室) or an interactive classroom. */
public record Classroom(UUID id, UUID schoolId, String name, Kind kind, int capacity) {

  public enum Kind {
    ORDINARY, RECORDING, INTERACTIVE;

    public String wire() {
      return WireNames.of(this);
    }

    public static Optional<Kind> parse(String s) {
      return WireNames.parse(Kind.class, s);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("schoolId", schoolId.toString()).put("name", name)
        .put("kind", kind.wire()).put("capacity", capacity);
  }
}
