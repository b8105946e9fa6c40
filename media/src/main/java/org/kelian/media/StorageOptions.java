package org.kelian.media;

import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** S3-compatible object storage (MinIO in production). In local mode the endpoint is S3Proxy's. */
public record StorageOptions(String endpoint, String accessKey, String secretKey, String bucket, String region) {

  public static final Setting ENDPOINT = Setting.of("KELIAN_S3_ENDPOINT", "s3.endpoint", null,
      "S3/MinIO endpoint URL, e.g. https://minio.county.edu.cn (required in production; local mode runs S3Proxy)");
  public static final Setting ACCESS_KEY = Setting.of("KELIAN_S3_ACCESS_KEY", "s3.accessKey", null,
      "S3 access key (required in production)");
  public static final Setting SECRET_KEY = Setting.of("KELIAN_S3_SECRET_KEY", "s3.secretKey", null,
      "S3 secret key (required in production)");
  public static final Setting BUCKET = Setting.of("KELIAN_S3_BUCKET", "s3.bucket", "kelian",
      "Bucket for originals and derived files; created when missing");
  public static final Setting REGION = Setting.of("KELIAN_S3_REGION", "s3.region", "us-east-1", "S3 region name used for signing");

  public static final List<Setting> SETTINGS = List.of(ENDPOINT, ACCESS_KEY, SECRET_KEY, BUCKET, REGION);

  public static StorageOptions from(Config c) {
    return new StorageOptions(c.get(ENDPOINT), c.get(ACCESS_KEY), c.get(SECRET_KEY), c.require(BUCKET), c.require(REGION));
  }

  public StorageOptions withEndpoint(String newEndpoint, String newAccessKey, String newSecretKey) {
    return new StorageOptions(newEndpoint, newAccessKey, newSecretKey, bucket, region);
  }

  public StorageOptions withBucket(String newBucket) {
    return new StorageOptions(endpoint, accessKey, secretKey, newBucket, region);
  }
}
