package org.kelian.core.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** A node of the catalog with its path from the root (inclusive). */
public record CatalogNode(UUID id, UUID parentId, CatalogKind kind, String title, int position, List<UUID> pathIds,
                          List<String> pathTitles, long childCount) {

  public int depth() {
    return pathIds.size();
  }

  public String pathText() {
    return String.join(" / ", pathTitles);
  }

  /** The short form of a list: {id, kind, title, childCount}. */
  public JsonObject toSummaryJson() {
    return new JsonObject().put("id", id.toString()).put("kind", kind.wire()).put("title", title).put("childCount", childCount);
  }

  public JsonObject toJson() {
    JsonArray path = new JsonArray();
    for (int i = 0; i < pathIds.size(); i++) {
      path.add(new JsonObject().put("id", pathIds.get(i).toString()).put("kind", CatalogKind.atDepth(i + 1).wire()).put("title", pathTitles.get(i)));
    }
    return toSummaryJson().put("parentId", parentId == null ? null : parentId.toString()).put("position", position)
        .put("path", path).put("pathText", pathText());
  }
}
