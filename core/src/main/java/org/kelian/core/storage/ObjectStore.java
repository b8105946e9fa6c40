package org.kelian.core.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.kelian.core.health.HealthCheck;

/**
 * The object store port (S3 semantics). Originals, incomplete upload parts and derived files live here.
 * Multipart uploads are exposed as such so that a tus upload maps onto one without buffering the file.
 */
public interface ObjectStore {

  HealthCheck health();

  /** Creates the bucket when missing. */
  Future<Void> ensureBucket();

  Future<String> createMultipartUpload(String key, String contentType);

  /** Uploads {@code length} bytes of {@code file} as part {@code partNumber}; answers the part's ETag. */
  Future<String> uploadPart(String key, String uploadId, int partNumber, Path file, long length);

  Future<Void> completeMultipartUpload(String key, String uploadId, List<String> etagsInOrder);

  Future<Void> abortMultipartUpload(String key, String uploadId);

  /** Stores a whole small object from a file. */
  Future<Void> putFile(String key, Path file, String contentType);

  /** Reads a bounded range into memory; for small reads only (sniffing, carrying over an incomplete part). */
  Future<Buffer> read(String key, long offset, int length);

  Future<Optional<ObjectInfo>> stat(String key);

  /** Reads the whole object through once and answers its SHA-256 (hex). */
  Future<String> sha256(String key);

  Future<Void> delete(String key);

  /** Deletes every object whose key starts with {@code prefix}. */
  Future<Void> deletePrefix(String prefix);

  /** Copies the whole object into a local file (replacing it). */
  Future<Void> download(String key, Path file);

  /**
   * A URL that lets a plain HTTP GET (with Range) read the object until {@code ttl} passes; the platform proxies
   * downloads through it so that bytes stream without blocking a thread.
   */
  Future<String> presignedGet(String key, Duration ttl);

  record ObjectInfo(String key, long size, String etag, String contentType) {
  }
}
