package org.kelian.core.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;

/** The transcoding workers: how many run at once, where they work, x264's speed, and what sources are refused. */
public record TranscodeOptions(int concurrency, Path workDir, String preset, Duration maxDuration, int maxDimension,
                               int maxAttempts, Duration retryBackoff, boolean hlsRedirect) {

  public static final Setting CONCURRENCY = Setting.of("KELIAN_TRANSCODE_CONCURRENCY", "transcode.concurrency", "1",
      "Transcode jobs run at once on this node (0 turns this node's worker off); one job already uses every core");
  public static final Setting WORK_DIR = Setting.of("KELIAN_TRANSCODE_WORK_DIR", "transcode.workDir", null,
      "Scratch folder for sources and outputs while a job runs (default: <data>/transcode in local mode, the system temp folder otherwise)");
  public static final Setting PRESET = Setting.of("KELIAN_TRANSCODE_PRESET", "transcode.preset", "veryfast",
      "x264 preset (ultrafast … veryslow): slower presets give smaller files for the same quality");
  public static final Setting MAX_HOURS = Setting.of("KELIAN_TRANSCODE_MAX_HOURS", "transcode.maxHours", "6",
      "Longest source accepted, in hours; longer ones fail with a reason");
  public static final Setting MAX_DIMENSION = Setting.of("KELIAN_TRANSCODE_MAX_DIMENSION", "transcode.maxDimension", "4096",
      "Largest source width or height accepted, in pixels");
  public static final Setting ATTEMPTS = Setting.of("KELIAN_TRANSCODE_ATTEMPTS", "transcode.attempts", "5",
      "Tries of a job that fails for a transient reason (object store unreachable) before it is marked failed");
  public static final Setting RETRY_SECONDS = Setting.of("KELIAN_TRANSCODE_RETRY_SECONDS", "transcode.retrySeconds", "30",
      "Wait before the first retry of a transient failure; doubles with each attempt");
  public static final Setting HLS_REDIRECT = Setting.of("KELIAN_HLS_REDIRECT", "hls.redirect", "false",
      "true: answer HLS segment requests with a redirect to a short-lived presigned object-store URL, so MinIO or a CDN serves the bytes");

  public static final List<Setting> SETTINGS = List.of(CONCURRENCY, WORK_DIR, PRESET, MAX_HOURS, MAX_DIMENSION, ATTEMPTS,
      RETRY_SECONDS, HLS_REDIRECT);

  private static final List<String> PRESETS = List.of("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
      "slower", "veryslow");

  public static TranscodeOptions from(Config c, Path defaultWorkDir) {
    String preset = c.get(PRESET);
    if (!PRESETS.contains(preset)) {
      throw new ConfigException("KELIAN_TRANSCODE_PRESET must be one of " + PRESETS);
    }
    int concurrency = c.getInt(CONCURRENCY);
    if (concurrency < 0) {
      throw new ConfigException("KELIAN_TRANSCODE_CONCURRENCY must be 0 or more");
    }
    String dir = c.get(WORK_DIR);
    return new TranscodeOptions(concurrency, dir == null ? defaultWorkDir : Path.of(dir), preset,
        Duration.ofMinutes(Math.round(Double.parseDouble(c.get(MAX_HOURS)) * 60)), c.getInt(MAX_DIMENSION),
        Math.max(1, c.getInt(ATTEMPTS)), c.getSeconds(RETRY_SECONDS), c.getBoolean(HLS_REDIRECT));
  }

  /** Refuses sources the platform will not turn into a lesson, before any encoding starts. */
  public void check(MediaInfo info) {
    if (info.video() == null && info.audio() == null) {
      throw MediaRejected.notMedia();
    }
    if (!(info.durationSeconds() > 0)) {
      throw new MediaRejected("no_duration", "无法确定视频时长，文件可能不完整", "The length of the recording cannot be read; the file may be incomplete");
    }
    if (info.durationSeconds() > maxDuration.toSeconds()) {
      throw new MediaRejected("too_long", "视频时长超过 " + hours() + " 小时的上限（文件显示约 " + Math.round(info.durationSeconds() / 3600) + " 小时）",
          "The recording is longer than the " + hours() + "-hour limit (the file claims about " + Math.round(info.durationSeconds() / 3600) + " hours)");
    }
    if (info.video() != null && Math.max(info.video().width(), info.video().height()) > maxDimension) {
      throw new MediaRejected("too_large_picture", "画面尺寸 " + info.video().width() + "×" + info.video().height() + " 超过上限 " + maxDimension + " 像素",
          "The picture size " + info.video().width() + "×" + info.video().height() + " is above the " + maxDimension + "-pixel limit");
    }
  }

  private String hours() {
    long m = maxDuration.toMinutes();
    return m % 60 == 0 ? String.valueOf(m / 60) : String.valueOf(m / 60.0);
  }
}
