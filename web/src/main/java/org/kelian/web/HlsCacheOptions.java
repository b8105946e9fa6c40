package org.kelian.web;

import java.nio.file.Path;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

/** The node's disk cache of HLS files (see {@link FileCache}): where, and how much of the disk it may take. */
public record HlsCacheOptions(Path dir, long capacityBytes) {

  public static final Setting MEGABYTES = Setting.of("KELIAN_HLS_CACHE_MB", "hls.cacheMegabytes", "2048",
      "Disk this node may use to keep HLS playlists and segments it has served (they never change), so that the lessons many "
          + "classrooms watch are sent from local disk instead of fetched from the object store again; 0 turns the cache off");
  public static final Setting DIR = Setting.of("KELIAN_HLS_CACHE_DIR", "hls.cacheDir", null,
      "Folder of that cache, emptied at every start (default: <data>/hls-cache in local mode, the system temp folder otherwise)");

  public static final List<Setting> SETTINGS = List.of(MEGABYTES, DIR);

  public static HlsCacheOptions from(Config c, Path defaultDir) {
    long mb = c.getLong(MEGABYTES);
    if (mb < 0) {
      throw new ConfigException(MEGABYTES.env() + " must be 0 (off) or more megabytes, got " + mb);
    }
    String dir = c.get(DIR);
    return new HlsCacheOptions(dir == null ? defaultDir : Path.of(dir), mb * 1024 * 1024);
  }

  public boolean enabled() {
    return capacityBytes > 0;
  }
}
