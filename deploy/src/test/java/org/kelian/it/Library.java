package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Test data for the library: the real textbook catalog, users, and resources through the API. */
final class Library {

  private Library() {
  }

  static JsonArray textbooks() {
    try {
      Path p = Path.of(System.getProperty("kelian.repo.root", "..")).resolve("deploy/src/main/resources/seed/textbooks.json");
      return new JsonArray(Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void importCatalog(Api admin) {
    Api.Response r = admin.post("/api/v1/catalog/import", textbooks());
    assertEquals(200, r.status(), r.body());
  }

  /** The id of the node at this path of titles, walking the tree through the API. */
  static String node(Api api, String... titles) {
    String parent = null;
    for (String t : titles) {
      JsonArray children = api.get("/api/v1/catalog/nodes" + (parent == null ? "" : "?parentId=" + parent)).jsonArray();
      String found = null;
      for (Object o : children) {
        JsonObject n = (JsonObject) o;
        if (n.getString("title").equals(t)) {
          found = n.getString("id");
        }
      }
      if (found == null) {
        throw new AssertionError("no catalog node '" + t + "' under " + parent + ": " + children);
      }
      parent = found;
    }
    return parent;
  }


  static Api user(Api admin, int port, String username, String role, String regionCode) {
    JsonObject body = new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add(role)).put("displayName", username);
    if (regionCode != null) {
      body.put("regionCode", regionCode);
    }
    Api.Response r = admin.post("/api/v1/users", body);
    assertEquals(201, r.status(), r.body());
    return Api.login(port, username, "password-" + username);
  }

  static UUID draft(Api teacher, String title, String type, String nodeId) {
    Api.Response r = teacher.post("/api/v1/resources", new JsonObject().put("title", title).put("type", type)
        .put("catalogNodeIds", new JsonArray().add(nodeId)));
    assertEquals(201, r.status(), r.body());
    return UUID.fromString(r.json().getString("id"));
  }

  /** A draft with a file, submitted and approved: a published resource. */
  static UUID published(Api teacher, Api reviewer, String title, String type, String nodeId, String fileName, byte[] file) {
    UUID id = draft(teacher, title, type, nodeId);
    Api.Response up = new Tus(teacher).upload(id, fileName, file);
    assertEquals(204, up.status(), up.body());
    assertEquals(200, teacher.post("/api/v1/resources/" + id + "/submit", null).status());
    Api.Response approved = reviewer.post("/api/v1/resources/" + id + "/approve", null);
    assertEquals(200, approved.status(), approved.body());
    return id;
  }

  /** A small but real PDF. */
  static byte[] pdf(String text) {
    String body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        + "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% " + text + "\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
