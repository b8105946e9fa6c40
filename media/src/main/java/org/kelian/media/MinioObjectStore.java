package org.kelian.media;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.Part;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.kelian.core.error.KelianException;
import org.kelian.core.health.HealthCheck;
import org.kelian.core.storage.ObjectStore;

/**
 * {@link ObjectStore} on the MinIO Java SDK's async client; works with MinIO and with S3Proxy. The SDK's futures
 * are bridged back onto the caller's Vert.x context; calls that read streams run on worker threads.
 */
public final class MinioObjectStore implements ObjectStore {

  private final Vertx vertx;
  private final StorageOptions options;
  private final Client client;

  public MinioObjectStore(Vertx vertx, StorageOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.client = new Client(MinioAsyncClient.builder()
        .endpoint(options.endpoint())
        .credentials(options.accessKey(), options.secretKey())
        .region(options.region())
        .build());
  }

  /** Opens the SDK's multipart calls, which it keeps for subclasses. */
  private static final class Client extends MinioAsyncClient {
    Client(MinioAsyncClient c) {
      super(c);
    }
  }

  public String bucket() {
    return options.bucket();
  }

  @Override
  public HealthCheck health() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "objectStore";
      }

      @Override
      public Future<Void> check() {
        return call(() -> client.bucketExists(BucketExistsArgs.builder().bucket(options.bucket()).build()))
            .compose(exists -> exists ? Future.succeededFuture() : Future.failedFuture("bucket " + options.bucket() + " is missing"));
      }
    };
  }

  @Override
  public Future<Void> ensureBucket() {
    return call(() -> client.bucketExists(BucketExistsArgs.builder().bucket(options.bucket()).build()))
        .compose(exists -> exists ? Future.succeededFuture()
            : call(() -> client.makeBucket(MakeBucketArgs.builder().bucket(options.bucket()).build())).mapEmpty());
  }

  @Override
  public Future<String> createMultipartUpload(String key, String contentType) {
    Multimap<String, String> headers = HashMultimap.create();
    headers.put("Content-Type", contentType == null ? "application/octet-stream" : contentType);
    return call(() -> client.createMultipartUploadAsync(options.bucket(), options.region(), key, headers, null))
        .map(r -> r.result().uploadId());
  }

  @Override
  public Future<String> uploadPart(String key, String uploadId, int partNumber, Path file, long length) {
    return vertx.executeBlocking(() -> {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
        return client.uploadPartAsync(options.bucket(), options.region(), key, raf, length, uploadId, partNumber, null, null)
            .join().etag();
      } catch (CompletionException e) {
        throw asException(unwrap(e));
      }
    }, false).recover(t -> Future.failedFuture(translate(t)));
  }

  @Override
  public Future<Void> completeMultipartUpload(String key, String uploadId, List<String> etagsInOrder) {
    Part[] parts = new Part[etagsInOrder.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = new Part(i + 1, etagsInOrder.get(i));
    }
    return call(() -> client.completeMultipartUploadAsync(options.bucket(), options.region(), key, uploadId, parts, null, null))
        .mapEmpty();
  }

  @Override
  public Future<Void> abortMultipartUpload(String key, String uploadId) {
    return call(() -> client.abortMultipartUploadAsync(options.bucket(), options.region(), key, uploadId, null, null))
        .mapEmpty();
  }

  @Override
  public Future<Void> putFile(String key, Path file, String contentType) {
    return call(() -> client.uploadObject(UploadObjectArgs.builder().bucket(options.bucket()).object(key)
        .filename(file.toString()).contentType(contentType == null ? "application/octet-stream" : contentType).build()))
        .mapEmpty();
  }

  @Override
  public Future<Buffer> read(String key, long offset, int length) {
    return vertx.executeBlocking(() -> {
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(options.bucket()).object(key)
          .offset(offset).length((long) length).build()).join()) {
        return Buffer.buffer(in.readNBytes(length));
      } catch (CompletionException e) {
        throw asException(unwrap(e));
      }
    }, false).recover(t -> Future.failedFuture(translate(t)));
  }

  @Override
  public Future<Optional<ObjectInfo>> stat(String key) {
    return call(() -> client.statObject(StatObjectArgs.builder().bucket(options.bucket()).object(key).build()))
        .map(s -> Optional.of(new ObjectInfo(key, s.size(), s.etag(), s.contentType())))
        .recover(t -> isNotFound(t) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(t));
  }

  @Override
  public Future<String> sha256(String key) {
    return vertx.executeBlocking(() -> {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(options.bucket()).object(key).build()).join()) {
        byte[] buf = new byte[1 << 20];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      } catch (CompletionException e) {
        throw asException(unwrap(e));
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    }, false).recover(t -> Future.failedFuture(translate(t)));
  }

  @Override
  public Future<Void> delete(String key) {
    return call(() -> client.removeObject(RemoveObjectArgs.builder().bucket(options.bucket()).object(key).build()));
  }

  @Override
  public Future<Void> deletePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("refusing to delete the whole bucket"));
    }
    return vertx.executeBlocking(() -> {
      List<DeleteObject> keys = new java.util.ArrayList<>();
      for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(options.bucket()).prefix(prefix).recursive(true).build())) {
        keys.add(new DeleteObject(item.get().objectName()));
      }
      for (int from = 0; from < keys.size(); from += 1000) {
        for (Result<DeleteError> failed : client.removeObjects(RemoveObjectsArgs.builder().bucket(options.bucket())
            .objects(keys.subList(from, Math.min(keys.size(), from + 1000))).build())) {
          DeleteError e = failed.get();
          throw new java.io.IOException("could not delete " + e.objectName() + ": " + e.message());
        }
      }
      return (Void) null;
    }, false).recover(t -> Future.failedFuture(translate(t)));
  }

  @Override
  public Future<Void> download(String key, Path file) {
    return vertx.executeBlocking(() -> {
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(options.bucket()).object(key).build()).join()) {
        java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (CompletionException e) {
        throw asException(unwrap(e));
      }
      return (Void) null;
    }, false).recover(t -> Future.failedFuture(translate(t)));
  }

  @Override
  public Future<String> presignedGet(String key, Duration ttl) {
    return vertx.executeBlocking(() -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
        .method(Method.GET).bucket(options.bucket()).object(key).expiry((int) ttl.toSeconds()).build()), false);
  }

  private interface SdkCall<T> {
    CompletableFuture<T> start() throws Exception;
  }

  private <T> Future<T> call(SdkCall<T> c) {
    Context ctx = vertx.getOrCreateContext();
    CompletableFuture<T> cf;
    try {
      cf = c.start();
    } catch (Exception e) {
      return Future.failedFuture(translate(e));
    }
    return Future.fromCompletionStage(cf, ctx).recover(t -> Future.failedFuture(translate(t)));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Exception asException(Throwable t) {
    return t instanceof Exception e ? e : new RuntimeException(t);
  }

  private static boolean isNotFound(Throwable t) {
    return t instanceof ErrorResponseException e && ("NoSuchKey".equals(e.errorResponse().code())
        || "NoSuchObject".equals(e.errorResponse().code()));
  }

  /** S3 protocol errors stay as they are (callers inspect them); a store that cannot be reached becomes "unavailable". */
  private static Throwable translate(Throwable t) {
    t = unwrap(t);
    if (t instanceof java.io.IOException || t instanceof java.net.ConnectException) {
      return KelianException.unavailable("object_store_unavailable", "文件存储暂时不可用，请稍后再试",
          "The object store is unavailable; try again shortly", t);
    }
    return t;
  }
}
