package org.kelian.core.resource;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A resource with what its page shows: file, catalog paths, owner, counters and curation history. */
public record Resource(
    UUID id,
    String title,
    String description,
    ResourceType type,
    Scope scope,
    ResourceStatus status,
    List<String> tags,
    boolean featured,
    UUID ownerId,
    String ownerName,
    UUID ownerSchoolId,
    String ownerRegionCode,
    StoredFile file,
    List<NodeRef> catalogNodes,
    long viewCount,
    long downloadCount,
    int version,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime publishedAt,
    List<Transition> transitions) {

  /** The file as stored: object key (never shown), the uploader's file name, size, SHA-256 and sniffed type. */
  public record StoredFile(String objectKey, String name, long size, String sha256, String contentType) {
  }

  public record NodeRef(UUID id, List<String> path) {
  }

  public record Transition(String from, String to, String actor, String reason, OffsetDateTime at) {
  }

  public JsonObject toJson() {
    JsonArray nodes = new JsonArray();
    catalogNodes.forEach(n -> nodes.add(new JsonObject().put("id", n.id().toString()).put("path", String.join(" / ", n.path()))));
    JsonArray history = new JsonArray();
    transitions.forEach(t -> history.add(new JsonObject().put("from", t.from()).put("to", t.to()).put("actor", t.actor())
        .put("reason", t.reason()).put("at", t.at().toString())));
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("description", description)
        .put("type", type.wire())
        .put("typeLabel", type.label())
        .put("scope", scope.wire())
        .put("status", status.wire())
        .put("tags", new JsonArray(tags))
        .put("featured", featured)
        .put("owner", new JsonObject().put("id", ownerId.toString()).put("displayName", ownerName))
        .put("file", file == null ? null : new JsonObject().put("name", file.name()).put("size", file.size())
            .put("sha256", file.sha256()).put("contentType", file.contentType()))
        .put("catalogNodes", nodes)
        .put("viewCount", viewCount)
        .put("downloadCount", downloadCount)
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString())
        .put("publishedAt", publishedAt == null ? null : publishedAt.toString())
        .put("transitions", history);
  }
}
