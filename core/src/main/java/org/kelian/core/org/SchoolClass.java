package org.kelian.core.org;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** A class of pupils (班级): its grade, its name within the grade, and how many pupils it has. */
public record SchoolClass(UUID id, UUID schoolId, String grade, String name, int size) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("schoolId", schoolId.toString()).put("grade", grade)
        .put("name", name).put("size", size);
  }
}
