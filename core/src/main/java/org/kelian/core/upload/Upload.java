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

  public boolean complete() {
    return offset == length;
  }
}
