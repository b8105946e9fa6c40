package org.kelian.core.upload;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A tus upload as persisted: the S3 multipart upload it feeds, the ETags of the parts written so far, and the
 * bytes that do not fill a part yet, kept as their own object ({@code pendingKey}). The offset is always
 * {@code parts × partBytes + pendingSize}.
 */
public record Upload(UUID id, UUID resourceId, UUID ownerId, long length, long offset, String fileName, String objectKey,
                     String s3UploadId, List<String> parts, String pendingKey, long pendingSize,
                     Status status, OffsetDateTime expiresAt) {

  public enum Status {
    ACTIVE,
    COMPLETED,
    ABORTED
  }

  /** The length of an upload whose size is not known yet (tus creation-defer-length): a live recording. */
  public static final long DEFERRED = -1;

  public boolean lengthKnown() {
    return length >= 0;
  }

  public boolean complete() {
    return length >= 0 && offset == length;
  }

  public Upload withLength(long newLength) {
    return new Upload(id, resourceId, ownerId, newLength, offset, fileName, objectKey, s3UploadId, parts, pendingKey, pendingSize, status,
        expiresAt);
  }
}
