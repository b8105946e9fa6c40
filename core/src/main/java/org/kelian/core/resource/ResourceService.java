package org.kelian.core.resource;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.catalog.CatalogStore;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.search.Visibility;

/**
 * Resources and their curation: a teacher creates a draft, uploads its file and submits it; a school or district
 * admin publishes or rejects it with a reason. Only published resources are seen beyond their author and
 * reviewers, and only within their scope.
 */
public final class ResourceService {

  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 5000;
  static final int MAX_TAGS = 20;
  static final int MAX_NODES = 20;

  private final ResourceStore store;
  private final CatalogStore catalog;
  private final Supplier<Future<Void>> onSearchChange;

  /**
   * {@code onSearchChange} is called after every change that search must see; it drains the outbox and answers
   * when the change is searchable. A transition waits for it briefly, and never fails because search is down.
   */
  private volatile ReplayAccess replay = ReplayAccess.NONE;

  public ResourceService(ResourceStore store, CatalogStore catalog, Supplier<Future<Void>> onSearchChange) {
    this.store = store;
    this.catalog = catalog;
    this.onSearchChange = onSearchChange;
  }

  public record NewResource(String title, String type, List<String> catalogNodeIds, String description, List<String> tags,
                            String scope) {
  }

  public Future<Resource> create(User actor, NewResource req) {
    return create(actor, check(req, true));
  }

  /**
   * A draft that may wait for its place in the catalog: the recording of a live class whose session names no
   * lesson. Its owner files it under a lesson before it can be submitted.
   */
  public Future<Resource> createUnfiled(User actor, NewResource req) {
    return create(actor, check(req, false));
  }

  private Future<Resource> create(User actor, Checked c) {
    return knownNodes(c.nodeIds()).compose(found -> {
      OffsetDateTime now = OffsetDateTime.now();
      Resource r = new Resource(UUID.randomUUID(), c.title(), c.description(), c.type(), c.scope(), ResourceStatus.DRAFT, c.tags(), false,
          actor.id(), actor.displayName(), actor.schoolId(), actor.regionCode(), null,
          found.stream().map(n -> new Resource.NodeRef(n.id(), n.pathTitles())).toList(), 0, 0, 1, now, now, null, List.of());
      return store.insert(r, c.nodeIds()).compose(x -> store.find(r.id())).map(o -> o.orElseThrow());
    });
  }

  /**
   * Edits a draft or rejected resource of the caller. {@code expectedVersion} is the version the editor read (the
   * ETag); if someone changed the resource since, the edit is refused rather than silently overwriting theirs.
   * The type is fixed at creation (the file was checked against it).
   */
  public Future<Resource> update(User actor, UUID id, Integer expectedVersion, NewResource req) {
    return visible(actor, id).compose(r -> {
      if (!r.ownerId().equals(actor.id())) {
        throw KelianException.forbidden();
      }
      if (r.status() != ResourceStatus.DRAFT && r.status() != ResourceStatus.REJECTED) {
        throw KelianException.conflict("not_editable", "只有草稿或被退回的资源可以修改", "Only a draft or rejected resource can be edited");
      }
      if (req.type() != null && !req.type().equals(r.type().wire())) {
        throw KelianException.invalid("type_fixed", "资源类型创建后不能更改（文件已按类型检查）", "The type is fixed once created (the file was checked against it)");
      }
      NewResource merged = new NewResource(req.title() != null ? req.title() : r.title(), r.type().wire(),
          req.catalogNodeIds() != null ? req.catalogNodeIds() : r.catalogNodes().stream().map(n -> n.id().toString()).toList(),
          req.description() != null ? req.description() : r.description(), req.tags() != null ? req.tags() : r.tags(),
          req.scope() != null ? req.scope() : r.scope().wire());
      Checked c = check(merged);
      int version = expectedVersion == null ? r.version() : expectedVersion;
      return knownNodes(c.nodeIds())
          .compose(x -> store.update(id, version, c.title(), c.description(), c.tags(), c.scope(), c.nodeIds()))
          .compose(ok -> {
            if (!ok) {
              throw new KelianException(org.kelian.core.error.ErrorKind.PRECONDITION_FAILED, "version_mismatch",
                  "资源已被修改，请刷新后再编辑", "The resource changed since you read it; reload and edit again");
            }
            return store.find(id).map(o -> o.orElseThrow());
          });
    });
  }

  private record Checked(String title, ResourceType type, Scope scope, String description, List<String> tags, List<UUID> nodeIds) {
  }

  private static Checked check(NewResource req) {
    return check(req, true);
  }

  private static Checked check(NewResource req, boolean nodeRequired) {
    String title = Validate.text(req.title(), "title", MAX_TITLE);
    ResourceType type = ResourceType.parse(req.type()).orElseThrow(() -> KelianException.invalid("unknown_type",
        "未知资源类型：" + req.type() + "（可选 video、courseware、lesson_design、task_sheet、exercise、material、textbook、recording）",
        "Unknown resource type: " + req.type() + " (one of video, courseware, lesson_design, task_sheet, exercise, material, textbook, recording)"));
    Scope scope = req.scope() == null ? Scope.COUNTY : Scope.parse(req.scope()).orElseThrow(() -> KelianException.invalid("unknown_scope",
        "未知范围：" + req.scope() + "（可选 national、province、city、county、school）",
        "Unknown scope: " + req.scope() + " (one of national, province, city, county, school)"));
    String description = req.description() == null ? "" : Validate.optionalText(req.description(), "description", MAX_DESCRIPTION);
    List<UUID> nodes = !nodeRequired && (req.catalogNodeIds() == null || req.catalogNodeIds().isEmpty()) ? List.of()
        : nodeIds(req.catalogNodeIds());
    return new Checked(title, type, scope, description, tags(req.tags()), nodes);
  }

  /** The catalog nodes, failing with the unknown ids named. */
  private Future<List<org.kelian.core.catalog.CatalogNode>> knownNodes(List<UUID> nodeIds) {
    return catalog.findAll(nodeIds).map(found -> {
      Set<UUID> known = new HashSet<>();
      found.forEach(n -> known.add(n.id()));
      List<String> unknown = nodeIds.stream().filter(id -> !known.contains(id)).map(UUID::toString).toList();
      if (!unknown.isEmpty()) {
        throw KelianException.invalid("unknown_catalog_node", "目录节点不存在：" + String.join(", ", unknown),
            "Unknown catalog node(s): " + String.join(", ", unknown)).withDetails(new io.vertx.core.json.JsonArray(unknown));
      }
      return found;
    });
  }

  /** The resource if this user may see it; counts a view when the viewer is not its owner. */
  public Future<Resource> get(User actor, UUID id) {
    return visible(actor, id).compose(r -> r.ownerId().equals(actor.id()) ? Future.succeededFuture(r)
        : store.countView(id).map(x -> r));
  }

  /** The resource if this user may see it, without counting. */
  /** Who else may watch a live class's recording (set once, at start, by the live-class module). */
  public void replayAccess(ReplayAccess access) {
    this.replay = access;
  }

  public Future<Resource> visible(User actor, UUID id) {
    return store.find(id).compose(found -> {
      Resource r = found.orElseThrow(ResourceService::notFound);
      if (maySee(actor, r)) {
        return Future.succeededFuture(r);
      }
      if (r.type() != ResourceType.RECORDING) {
        throw notFound();
      }
      // the recording of a live class: the session's replay setting may open it to its classrooms or everyone
      return replay.mayReplay(actor, r).map(ok -> {
        if (!ok) {
          throw notFound();
        }
        return r;
      });
    });
  }

  public Future<Void> countDownload(UUID id) {
    return store.countDownload(id);
  }

  /** The resource whose file this user may upload now: their own draft or rejected resource. */
  public Future<Resource> forUpload(User actor, UUID id) {
    return visible(actor, id).map(r -> {
      if (!r.ownerId().equals(actor.id())) {
        throw KelianException.forbidden();
      }
      if (r.status() != ResourceStatus.DRAFT && r.status() != ResourceStatus.REJECTED) {
        throw KelianException.conflict("not_editable", "资源已提交或已发布，不能更换文件", "The resource is submitted or published; its file cannot change");
      }
      return r;
    });
  }

  /** The resource an upload of this owner completes into (the owner may have lost no right since it started). */
  public Future<Resource> forUploadOwner(UUID ownerId, UUID id) {
    return store.find(id).map(found -> found.filter(r -> r.ownerId().equals(ownerId)).orElseThrow(ResourceService::notFound));
  }

  public Future<Boolean> attachFile(UUID id, Resource.StoredFile file) {
    return store.attachFile(id, file);
  }

  public Future<Resource> submit(User actor, UUID id) {
    return visible(actor, id).compose(r -> {
      if (!r.ownerId().equals(actor.id())) {
        throw KelianException.forbidden();
      }
      if (r.file() == null) {
        throw KelianException.conflict("file_missing", "请先上传文件再提交审核", "Upload the file before submitting");
      }
      if (r.catalogNodes().isEmpty()) {
        throw KelianException.conflict("catalog_node_required", "请先把它归到目录中的课或单元再提交审核",
            "File it under a lesson or unit of the catalog before submitting");
      }
      return transition(actor, r, List.of(ResourceStatus.DRAFT, ResourceStatus.REJECTED), ResourceStatus.SUBMITTED, null);
    });
  }

  public Future<Resource> approve(User actor, UUID id) {
    return visible(actor, id).compose(r -> {
      requireReviewer(actor, r);
      return transition(actor, r, List.of(ResourceStatus.SUBMITTED), ResourceStatus.PUBLISHED, null);
    });
  }

  public Future<Resource> reject(User actor, UUID id, String rawReason) {
    String reason = Validate.text(rawReason, "reason", 1000);
    return visible(actor, id).compose(r -> {
      requireReviewer(actor, r);
      return transition(actor, r, List.of(ResourceStatus.SUBMITTED), ResourceStatus.REJECTED, reason);
    });
  }

  /** My resources ({@code mine}), or the review queue of submitted resources a reviewer may decide. */
  public Future<ResourceStore.Page> list(User actor, boolean mine, String status, int limit, int offset) {
    ResourceStatus s = status == null || status.isBlank() ? null : ResourceStatus.parse(status).orElseThrow(() ->
        KelianException.invalid("unknown_status", "未知状态：" + status + "（可选 draft、submitted、published、rejected）",
            "Unknown status: " + status + " (one of draft, submitted, published, rejected)"));
    if (mine) {
      return store.list(actor.id(), s, null, limit, offset);
    }
    if (s == ResourceStatus.SUBMITTED && actor.isAdmin()) {
      return store.list(null, s, actor.has(Role.DISTRICT_ADMIN) ? null : actor.schoolId(), limit, offset);
    }
    return Future.failedFuture(KelianException.invalid("list_needs_filter", "请使用 mine=true（我的资源）或 status=submitted（审核队列）；查找已发布资源请用搜索",
        "Use mine=true (my resources) or status=submitted (review queue); find published resources with search"));
  }

  private Future<Resource> transition(User actor, Resource r, List<ResourceStatus> from, ResourceStatus to, String reason) {
    if (!from.contains(r.status())) {
      return Future.failedFuture(KelianException.conflict("invalid_transition",
          "当前状态为 " + r.status().wire() + "，不能变为 " + to.wire(), "A " + r.status().wire() + " resource cannot become " + to.wire()));
    }
    return store.changeStatus(r.id(), from, to, actor.id(), reason).compose(moved -> {
      if (!moved) {
        throw KelianException.conflict("concurrent_update", "资源状态刚被他人修改，请刷新后重试", "The resource was just changed by someone else; reload and try again");
      }
      return onSearchChange.get().timeout(3, TimeUnit.SECONDS).recover(t -> Future.succeededFuture())
          .compose(x -> store.find(r.id())).map(o -> o.orElseThrow());
    });
  }

  /** School admins review their school's resources; district admins review all. */
  static void requireReviewer(User actor, Resource r) {
    boolean ok = actor.has(Role.DISTRICT_ADMIN)
        || actor.has(Role.SCHOOL_ADMIN) && actor.schoolId() != null && actor.schoolId().equals(r.ownerSchoolId());
    if (!ok) {
      throw KelianException.forbidden();
    }
  }

  static boolean maySee(User actor, Resource r) {
    if (r.ownerId().equals(actor.id()) || actor.has(Role.DISTRICT_ADMIN)) {
      return true;
    }
    if (actor.has(Role.SCHOOL_ADMIN) && actor.schoolId() != null && actor.schoolId().equals(r.ownerSchoolId())) {
      return true;
    }
    return r.status() == ResourceStatus.PUBLISHED && Visibility.userKeys(actor.regionCode(), actor.schoolId())
        .contains(Visibility.documentKey(r.scope().wire(), r.ownerRegionCode(), r.ownerSchoolId()));
  }

  private static List<String> tags(List<String> raw) {
    if (raw == null) {
      return List.of();
    }
    if (raw.size() > MAX_TAGS) {
      throw KelianException.invalid("too_many_tags", "标签最多 " + MAX_TAGS + " 个", "At most " + MAX_TAGS + " tags");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String t : raw) {
      String tag = Validate.text(t, "tags", 32);
      out.add(tag);
    }
    return new ArrayList<>(out);
  }

  private static List<UUID> nodeIds(List<String> raw) {
    if (raw == null || raw.isEmpty()) {
      throw KelianException.invalid("catalog_node_required", "请至少选择一个目录节点（课或单元）", "Choose at least one catalog node (lesson or unit)");
    }
    if (raw.size() > MAX_NODES) {
      throw KelianException.invalid("too_many_nodes", "目录节点最多 " + MAX_NODES + " 个", "At most " + MAX_NODES + " catalog nodes");
    }
    Set<UUID> out = new LinkedHashSet<>();
    raw.forEach(s -> out.add(Validate.uuid(s, "catalogNodeIds")));
    return new ArrayList<>(out);
  }

  static KelianException notFound() {
    return KelianException.notFound("resource_not_found", "资源不存在或您无权查看", "Resource not found, or you may not see it");
  }

}
