package org.kelian.core.upload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

/** tus uploads: limits, the S3 part size, and where a part is assembled before it goes to the object store. */
public record UploadOptions(long maxBytes, int partBytes, Path spoolDir, Duration expiry) {

  static final int MIN_PART = 5 * 1024 * 1024;

  public static final Setting MAX_BYTES = Setting.of("KELIAN_UPLOAD_MAX_BYTES", "upload.maxBytes", "21474836480",
      "Largest file accepted (bytes; default 20 GiB)");
  public static final Setting PART_BYTES = Setting.of("KELIAN_UPLOAD_PART_BYTES", "upload.partBytes", "8388608",
      "S3 multipart part size (bytes, at least 5 MiB); heap use per upload stays below one network buffer, the part is spooled to disk");
  public static final Setting SPOOL_DIR = Setting.of("KELIAN_UPLOAD_SPOOL_DIR", "upload.spoolDir", null,
      "Folder for assembling parts (default: <data>/spool in local mode, the system temp folder otherwise)");
  public static final Setting EXPIRY_HOURS = Setting.of("KELIAN_UPLOAD_EXPIRY_HOURS", "upload.expiryHours", "72",
      "How long an unfinished upload can be resumed");

  public static final List<Setting> SETTINGS = List.of(MAX_BYTES, PART_BYTES, SPOOL_DIR, EXPIRY_HOURS);

  public static UploadOptions from(Config c, Path defaultSpool) {
    int part = c.getInt(PART_BYTES);
    if (part < MIN_PART) {
      throw new ConfigException("KELIAN_UPLOAD_PART_BYTES must be at least 5 MiB (" + MIN_PART + ")");
    }
    String spool = c.get(SPOOL_DIR);
    return new UploadOptions(c.getLong(MAX_BYTES), part, spool == null ? defaultSpool : Path.of(spool),
        Duration.ofHours(c.getLong(EXPIRY_HOURS)));
  }
}
