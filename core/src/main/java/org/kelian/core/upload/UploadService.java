package org.kelian.core.upload;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.kelian.core.auth.User;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.resource.Resource;
import org.kelian.core.resource.ResourceService;
import org.kelian.core.resource.ResourceType;
import org.kelian.core.storage.ObjectStore;

/**
 * Resumable uploads (tus 1.0 semantics) onto S3 multipart uploads. A file's type is checked twice: by its name
 * when the upload is created (so an .exe is refused before a byte is sent) and by its content when it completes.
 */
public final class UploadService {

  private static final int SNIFF_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final UploadStore store;
  private final ObjectStore objects;
  private final ResourceService resources;
  private final UploadOptions options;
  private final Function<UUID, Future<Void>> onFileAttached;
  private volatile UploadTap tap = UploadTap.NONE;
  private final Set<UUID> writing = java.util.Collections.synchronizedSet(new HashSet<>());
  /** Running digests of uploads streaming through this process, bounded; a missing one is recomputed from storage. */
  private final Map<UUID, RunningDigest> digests = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, RunningDigest> eldest) {
      return size() > 10_000;
    }
  });

  /** {@code onFileAttached} hears of every completed file (to queue its transcode); its failure loses nothing, see below. */
  public UploadService(Vertx vertx, UploadStore store, ObjectStore objects, ResourceService resources, UploadOptions options,
                       Function<UUID, Future<Void>> onFileAttached) {
    this.vertx = vertx;
    this.onFileAttached = onFileAttached;
    this.store = store;
    this.objects = objects;
    this.resources = resources;
    this.options = options;
  }

  /** Who sees the bytes of PATCH requests as they arrive (set once, at start). */
  public void tap(UploadTap t) {
    this.tap = t;
  }

  public long maxBytes() {
    return options.maxBytes();
  }

  /** A new upload of {@code length} bytes, or of a length declared later ({@link Upload#DEFERRED}: a live recording). */
  public Future<Upload> create(User actor, UUID resourceId, String rawName, long length) {
    if (length <= 0 && length != Upload.DEFERRED) {
      throw KelianException.invalid("empty_file", "文件为空", "The file is empty");
    }
    if (length > options.maxBytes()) {
      throw new KelianException(ErrorKind.TOO_LARGE, "file_too_large", "文件过大（最大 " + options.maxBytes() / (1 << 20) + " MiB）",
          "The file is too large (at most " + options.maxBytes() / (1 << 20) + " MiB)");
    }
    String fileName = FileNames.clean(rawName);
    return resources.forUpload(actor, resourceId).compose(res -> {
      String byName = FileTypes.byName(fileName);
      if (!"application/octet-stream".equals(byName) && !res.type().accepts(byName)) {
        throw unsupported(res.type(), byName);
      }
      UUID id = UUID.randomUUID();
      String key = "originals/" + resourceId + "/" + id;
      return objects.createMultipartUpload(key, "application/octet-stream").compose(s3Id -> {
        Upload u = new Upload(id, resourceId, actor.id(), length, 0, fileName, key, s3Id, List.of(), null, 0,
            Upload.Status.ACTIVE, OffsetDateTime.now().plus(options.expiry()));
        return store.insert(u).map(u);
      });
    });
  }

  /** The upload's state (tus HEAD); finishes an upload whose bytes all arrived but whose completion was interrupted. */
  public Future<Upload> status(User actor, UUID id) {
    return owned(actor, id).compose(u -> u.status() == Upload.Status.ACTIVE && u.complete() && !writing.contains(id)
        ? finish(u) : Future.succeededFuture(u));
  }

  /**
   * Appends a PATCH body (paused) at {@code offset}; answers the new state. {@code declaredLength} (null when not
   * sent) gives the length of an upload created without one, once; it must not be below what is there.
   */
  public Future<Upload> append(User actor, UUID id, long offset, ReadStream<Buffer> body, Long declaredLength) {
    return owned(actor, id).compose(u -> declare(u, declaredLength)).compose(u -> {
      if (u.status() != Upload.Status.ACTIVE) {
        throw KelianException.conflict("upload_closed", "该上传已结束", "This upload is finished").withDetails(new JsonObject().put("offset", u.offset()));
      }
      if (u.expiresAt().isBefore(OffsetDateTime.now())) {
        throw new KelianException(ErrorKind.GONE, "upload_expired", "上传已过期，请重新上传", "The upload expired; start again");
      }
      if (offset != u.offset()) {
        throw KelianException.conflict("offset_mismatch", "偏移量不一致：服务器已收到 " + u.offset() + " 字节",
            "Offset mismatch: the server has " + u.offset() + " bytes").withDetails(new JsonObject().put("offset", u.offset()));
      }
      if (!writing.add(id)) {
        throw KelianException.conflict("upload_busy", "该文件正在另一个连接中上传", "This upload is being written by another request");
      }
      RunningDigest digest = digests.get(id);
      if (digest == null && u.offset() == 0) {
        digest = new RunningDigest();
        digests.put(id, digest);
      }
      if (digest != null && digest.offset() != u.offset()) {
        digests.remove(id); // bytes this process did not see, or a part that failed after hashing: recompute later
        digest = null;
      }
      PartWriter writer = new PartWriter(vertx, objects, this::checkpoint, options.partBytes(), options.maxBytes(), options.spoolDir(), u,
          digest);
      return writer.write(tap.wrap(u, body))
          .compose(after -> after.complete() ? finish(after) : Future.succeededFuture(after))
          .eventually(() -> {
            writing.remove(id);
            return Future.succeededFuture();
          });
    });
  }

  private Future<Upload> declare(Upload u, Long length) {
    if (length == null) {
      return Future.succeededFuture(u);
    }
    if (u.lengthKnown()) {
      if (length != u.length()) {
        throw KelianException.invalid("tus_length_mismatch", "Upload-Length 与创建时声明的不同", "Upload-Length differs from the one declared at creation");
      }
      return Future.succeededFuture(u);
    }
    if (length < u.offset() || length > options.maxBytes() || length == 0) {
      throw KelianException.invalid("tus_length_invalid", "Upload-Length 应不小于已上传的 " + u.offset() + " 字节且不超过上限",
          "Upload-Length is at least the " + u.offset() + " bytes already uploaded and within the limit");
    }
    return store.declareLength(u.id(), length).map(ok -> {
      if (!ok) {
        throw KelianException.conflict("offset_mismatch", "该上传刚被另一个请求修改，请重新查询", "The upload was changed by another request; ask again");
      }
      return u.withLength(length);
    });
  }

  /**
   * Ends the deferred-length uploads feeding these resources at what has arrived (a live recording whose page went
   * away): each becomes a complete file, attached and transcoded like any other. Answers how many were ended.
   */
  public Future<Integer> endDeferred(List<UUID> resourceIds) {
    if (resourceIds.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return store.deferredOf(resourceIds).compose(list -> {
      Future<Integer> all = Future.succeededFuture(0);
      for (Upload u : list) {
        all = all.compose(n -> endAtOffset(u).map(ended -> n + (ended ? 1 : 0)));
      }
      return all;
    });
  }

  private Future<Boolean> endAtOffset(Upload u) {
    if (u.offset() == 0) {
      return abort(u).map(false);
    }
    if (!writing.add(u.id())) {
      return Future.succeededFuture(false); // its page is still sending: it declares the length itself
    }
    return store.declareLength(u.id(), u.offset()).compose(ok -> {
      if (!ok) {
        return Future.succeededFuture(false);
      }
      Upload known = u.withLength(u.offset());
      // the bytes short of a part are in the pending object: written through as the last part
      PartWriter writer = new PartWriter(vertx, objects, this::checkpoint, options.partBytes(), options.maxBytes(), options.spoolDir(), known,
          null);
      return writer.write(new EmptyBody(vertx)).compose(this::finish).map(true);
    }).eventually(() -> {
      writing.remove(u.id());
      return Future.succeededFuture();
    });
  }

  public Future<Void> terminate(User actor, UUID id) {
    return owned(actor, id).compose(u -> {
      if (u.status() != Upload.Status.ACTIVE) {
        throw KelianException.conflict("upload_closed", "该上传已结束", "This upload is finished");
      }
      return abort(u);
    });
  }

  /** Aborts uploads left unfinished past their expiry, so their parts do not stay in the store; answers how many. */
  public Future<Integer> expire() {
    return store.expired(100).compose(list -> {
      Future<Void> all = Future.succeededFuture();
      for (Upload u : list) {
        // a recording left without its length keeps what arrived; anything else unfinished is let go
        all = all.compose(x -> writing.contains(u.id()) ? Future.succeededFuture()
            : !u.lengthKnown() && u.offset() > 0 ? endAtOffset(u).mapEmpty() : abort(u));
      }
      return all.map(list.size());
    });
  }

  private Future<Void> abort(Upload u) {
    return objects.abortMultipartUpload(u.objectKey(), u.s3UploadId()).recover(t -> Future.succeededFuture())
        .compose(x -> u.pendingKey() == null ? Future.succeededFuture() : objects.delete(u.pendingKey()))
        .compose(x -> store.setStatus(u.id(), Upload.Status.ABORTED))
        .onSuccess(x -> digests.remove(u.id()));
  }

  private Future<Void> checkpoint(Upload before, Upload after) {
    return store.progress(before.offset(), after).compose(ok -> ok ? Future.succeededFuture()
        : Future.failedFuture(KelianException.conflict("offset_mismatch", "该上传刚被另一个请求修改，请重新查询偏移量",
            "The upload was changed by another request; ask for the offset again")));
  }

  /**
   * Completes the multipart upload (unless an earlier attempt did), checks the content's type against the
   * resource's, and attaches the file. A file of the wrong type is deleted and answered with 415.
   */
  private Future<Upload> finish(Upload u) {
    return objects.stat(u.objectKey())
        .compose(existing -> existing.isPresent() ? Future.succeededFuture()
            : objects.completeMultipartUpload(u.objectKey(), u.s3UploadId(), u.parts()))
        .compose(x -> u.pendingKey() == null ? Future.succeededFuture() : objects.delete(u.pendingKey()).recover(t -> Future.succeededFuture()))
        .compose(x -> objects.read(u.objectKey(), 0, (int) Math.min(u.length(), SNIFF_BYTES)))
        .compose(head -> resources.forUploadOwner(u.ownerId(), u.resourceId()).compose(res -> {
          String type = FileTypes.byContent(head.getBytes(), u.fileName());
          if (!res.type().accepts(type)) {
            return objects.delete(u.objectKey()).compose(x -> store.setStatus(u.id(), Upload.Status.ABORTED))
                .compose(x -> Future.failedFuture(unsupported(res.type(), type)));
          }
          String previous = res.file() == null ? null : res.file().objectKey();
          RunningDigest digest = digests.remove(u.id());
          Future<String> sha = digest != null && digest.offset() == u.length() ? Future.succeededFuture(digest.hex())
              : objects.sha256(u.objectKey());
          return sha.compose(hex -> resources.attachFile(u.resourceId(), new Resource.StoredFile(u.objectKey(), u.fileName(), u.length(), hex, type)))
              .compose(attached -> {
                if (!attached) {
                  return Future.failedFuture(KelianException.conflict("not_editable", "资源已提交或已发布，不能更换文件",
                      "The resource is submitted or published; its file cannot change"));
                }
                // A transcode not queued here (database away a moment) is queued by the sweep when the platform starts.
                return store.setStatus(u.id(), Upload.Status.COMPLETED)
                    .compose(y -> onFileAttached.apply(u.resourceId()).recover(t -> Future.succeededFuture()))
                    .compose(y -> previous == null || previous.equals(u.objectKey()) ? Future.succeededFuture()
                        : objects.delete(previous).recover(t -> Future.succeededFuture()));
              });
        }))
        .map(x -> new Upload(u.id(), u.resourceId(), u.ownerId(), u.length(), u.offset(), u.fileName(), u.objectKey(), u.s3UploadId(),
            u.parts(), null, 0, Upload.Status.COMPLETED, u.expiresAt()));
  }

  private Future<Upload> owned(User actor, UUID id) {
    return store.find(id).map(found -> found.filter(u -> u.ownerId().equals(actor.id()) && u.status() != Upload.Status.ABORTED)
        .orElseThrow(() -> KelianException.notFound("upload_not_found", "上传不存在", "Upload not found")));
  }

  private static KelianException unsupported(ResourceType type, String detected) {
    return new KelianException(ErrorKind.UNSUPPORTED_TYPE, "unsupported_file_type",
        "「" + type.label() + "」不接受这种文件（" + detected + "）", "A " + type.wire() + " resource does not accept this file (" + detected + ")",
        new JsonObject().put("detected", detected).put("allowed", new io.vertx.core.json.JsonArray(type.acceptedTypes())), null);
  }
}
