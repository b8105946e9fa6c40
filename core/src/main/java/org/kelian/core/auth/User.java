package org.kelian.core.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** An account. District admins belong to a region (regionCode); everyone else to a school. */
public record User(UUID id, String username, String displayName, Set<Role> roles, UUID schoolId, String regionCode) {

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return has(Role.DISTRICT_ADMIN) || has(Role.SCHOOL_ADMIN);
  }

  public JsonObject toJson() {
    JsonArray r = new JsonArray();
    roles.stream().sorted().forEach(role -> r.add(role.wire()));
    return new JsonObject()
        .put("id", id.toString())
        .put("username", username)
        .put("displayName", displayName)
        .put("roles", r)
        .put("schoolId", schoolId == null ? null : schoolId.toString())
        .put("regionCode", regionCode);
  }
}
