package org.kelian.media.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kelian.core.media.Ladder;
import org.kelian.core.media.MediaInfo;
import org.kelian.core.media.MediaRejected;
import org.kelian.core.media.Rung;
import org.kelian.core.media.Transcoder;

/**
 * {@link Transcoder} on the bundled ffmpeg, run as a supervised subprocess (a crash on hostile input stays out of
 * the JVM). One decode feeds every rung through {@code split}; each rung is one x264 encode (High profile, capped
 * CRF) with keyframes forced every 2 s by time, so GOPs are closed and aligned across rungs; the HLS muxer cuts
 * 6 s segments and writes the master playlist with BANDWIDTH, RESOLUTION and CODECS. The same decode feeds the
 * seek-bar thumbnails. {@code -xerror} turns the first decode error into a failed run, so a damaged source fails
 * instead of publishing a lesson with missing pictures.
 */
public final class FfmpegTranscoder implements Transcoder {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FfmpegTranscoder.class);

  static final int GOP_SECONDS = 2;
  static final int SEGMENT_SECONDS = 6;
  static final int THUMB_HEIGHT = 90;
  static final int SHEET = 10; // thumbnails per sheet row and column
  private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

  private final FfmpegBinaries bin;
  private final String preset;
  private volatile long checkedAt;
  private volatile String unavailable;

  public FfmpegTranscoder(FfmpegBinaries bin, String preset) {
    this.bin = bin;
    this.preset = preset;
  }

  public FfmpegBinaries binaries() {
    return bin;
  }

  @Override
  public String unavailableReason() {
    long now = System.nanoTime();
    if (checkedAt == 0 || now - checkedAt > 60_000_000_000L) {
      String reason;
      try {
        FfmpegProcess.Result r = FfmpegProcess.run(bin.command(bin.ffmpeg(), List.of("-hide_banner", "-version")), Duration.ofSeconds(30), null, true);
        reason = r.exitCode() == 0 ? null : explain(r.stderr());
      } catch (RuntimeException e) {
        reason = "ffmpeg cannot start: " + e.getMessage();
      }
      unavailable = reason;
      checkedAt = now;
    }
    return unavailable;
  }

  /** "libpulse.so.0: cannot open shared object file" becomes the package to install. */
  static String explain(String stderr) {
    Matcher m = Pattern.compile("(lib[A-Za-z0-9_+-]+)\\.so(\\.[0-9]+)*: cannot open shared object").matcher(stderr);
    if (m.find()) {
      String lib = m.group(0).substring(0, m.group(0).indexOf(':'));
      String pkg = m.group(1) + (m.group(2) == null ? "" : m.group(2).substring(1));
      return "the bundled ffmpeg needs the system library " + lib + ": install it (Debian/Ubuntu: apt-get install " + pkg + ")";
    }
    return "the bundled ffmpeg does not run: " + lastLine(stderr);
  }

  @Override
  public MediaInfo probe(Path source) {
    try {
      if (Files.size(source) == 0) {
        throw MediaRejected.notMedia();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    FfmpegProcess.Result r = FfmpegProcess.run(bin.command(bin.ffprobe(), List.of("-v", "error", "-print_format", "json",
        "-show_format", "-show_streams", source.toString())), Duration.ofMinutes(2), null, true);
    if (r.exitCode() != 0) {
      throw MediaRejected.notMedia();
    }
    MediaInfo info = FfmpegProbe.parse(r.stdout());
    if (!(info.durationSeconds() > 0)) {
      // A browser's recording (MediaRecorder's WebM) or a cut one has no duration in its header: read it off the packets.
      FfmpegProcess.Result packets = FfmpegProcess.run(bin.command(bin.ffprobe(), List.of("-v", "error", "-select_streams",
          info.video() != null ? "v:0" : "a:0", "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", source.toString())),
          Duration.ofMinutes(2), null, true);
      if (packets.exitCode() == 0) {
        info = new MediaInfo(info.format(), FfmpegProbe.lastPacketEnd(packets.stdout()), info.video(), info.audio());
      }
    }
    return info;
  }

  @Override
  public Output transcode(Path source, MediaInfo info, List<Rung> ladder, Path out, Progress progress) {
    List<String> args = info.video() == null ? audioOnlyArgs(source, out) : videoArgs(source, info, ladder, out);
    try {
      Files.createDirectories(out.resolve("thumbs"));
      Files.createDirectories(rawThumbs(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double total = Math.max(0.001, info.durationSeconds());
    FfmpegProcess.Result r = FfmpegProcess.run(bin.command(bin.ffmpeg(), args), limit(info), line -> {
      if (line.startsWith("out_time_us=") || line.startsWith("out_time_ms=")) {
        try {
          double seconds = Long.parseLong(line.substring(line.indexOf('=') + 1).strip()) / 1e6;
          return progress.report(Math.min(1, Math.max(0, seconds / total)));
        } catch (NumberFormatException e) {
          return progress.report(0); // "N/A" before the first frame
        }
      }
      return true;
    }, false);
    check(r);
    String poster = null;
    String thumbnails = null;
    if (info.video() != null) {
      poster = poster(source, info, out);
      tileThumbnails(out);
      thumbnails = thumbnailIndex(info, out);
    }
    return new Output("master.m3u8", renditions(out, ladder), poster, thumbnails);
  }

  @Override
  public void remuxToMp4(Path playlist, Path mp4) {
    FfmpegProcess.Result r = FfmpegProcess.run(bin.command(bin.ffmpeg(), List.of("-hide_banner", "-nostdin", "-y", "-v", "error",
        "-protocol_whitelist", "file", "-i", playlist.toString(), "-map", "0", "-c", "copy", "-bsf:a", "aac_adtstoasc",
        "-movflags", "+faststart", mp4.toString())), Duration.ofMinutes(30), null, false);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("remuxing to MP4 failed: " + lastLine(r.stderr()));
    }
  }

  private List<String> videoArgs(Path source, MediaInfo info, List<Rung> ladder, Path out) {
    MediaInfo.Video v = info.video();
    double fps = Ladder.outputFps(v);
    int gop = (int) Math.round(fps * GOP_SECONDS);
    int interval = thumbnailInterval(info);
    int n = ladder.size();
    StringBuilder graph = new StringBuilder("[0:v:0]");
    if (v.interlaced()) {
      graph.append("bwdif=mode=send_frame,");
    }
    graph.append(String.format(Locale.ROOT, "fps=%s,split=%d", fpsExpr(fps), n + 1));
    for (int i = 0; i < n; i++) {
      graph.append("[s").append(i).append(']');
    }
    graph.append("[st]");
    for (int i = 0; i < n; i++) {
      Rung r = ladder.get(i);
      graph.append(String.format(Locale.ROOT, ";[s%d]scale=%d:%d:flags=bicubic,setsar=1,format=yuv420p[v%d]", i, r.width(), r.height(), i));
    }
    int[] thumb = thumbSize(v);
    // Single thumbnails here, tiled into sheets afterwards: an output that emits nothing until a sheet of 100 is full
    // would hold back ffmpeg's progress reports until the end of the lesson.
    graph.append(String.format(Locale.ROOT, ";[st]fps=1/%d,scale=%d:%d,setsar=1[thumbs]", interval, thumb[0], thumb[1]));

    List<String> a = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error", "-xerror", "-nostats",
        "-progress", "pipe:1", "-i", source.toString(), "-filter_complex", graph.toString()));
    boolean audio = info.audio() != null;
    StringBuilder map = new StringBuilder();
    for (int i = 0; i < n; i++) {
      a.addAll(List.of("-map", "[v" + i + "]"));
      if (audio) {
        a.addAll(List.of("-map", "0:a:0"));
      }
      map.append(i == 0 ? "" : " ").append("v:").append(i).append(audio ? ",a:" + i : "").append(",name:").append(ladder.get(i).label()).append('p');
    }
    a.addAll(List.of("-c:v", "libx264", "-preset", preset, "-profile:v", "high"));
    for (int i = 0; i < n; i++) {
      Rung r = ladder.get(i);
      a.addAll(List.of("-crf:v:" + i, String.valueOf(r.crf()), "-maxrate:v:" + i, r.maxrateKbps() + "k",
          "-bufsize:v:" + i, (2 * r.maxrateKbps()) + "k"));
      if (audio) {
        a.addAll(List.of("-b:a:" + i, r.audioKbps() + "k"));
      }
    }
    a.addAll(List.of("-g", String.valueOf(gop), "-keyint_min", String.valueOf(gop), "-sc_threshold", "0", "-flags", "+cgop",
        "-force_key_frames", "expr:gte(t,n_forced*" + GOP_SECONDS + ")"));
    if (audio) {
      a.addAll(List.of("-c:a", "aac", "-ac", "2", "-ar", "48000"));
    }
    hls(a, out, map.toString());
    a.addAll(List.of("-map", "[thumbs]", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2", rawThumbs(out).resolve("t-%05d.jpg").toString()));
    return a;
  }

  private static List<String> audioOnlyArgs(Path source, Path out) {
    List<String> a = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error", "-xerror", "-nostats",
        "-progress", "pipe:1", "-i", source.toString(), "-map", "0:a:0", "-c:a", "aac", "-ac", "2", "-ar", "48000", "-b:a", "128k"));
    hls(a, out, "a:0,name:audio");
    return a;
  }

  private static void hls(List<String> a, Path out, String streamMap) {
    a.addAll(List.of("-f", "hls", "-hls_time", String.valueOf(SEGMENT_SECONDS), "-hls_playlist_type", "vod",
        "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts",
        "-hls_segment_filename", out.resolve("%v/seg-%05d.ts").toString(), "-master_pl_name", "master.m3u8",
        "-var_stream_map", streamMap, out.resolve("%v/index.m3u8").toString()));
  }

  /** A frame a little into the lesson (past titles and a dark room), at the top rung's size or less. */
  private String poster(Path source, MediaInfo info, Path out) {
    double at = Math.min(info.durationSeconds() * 0.1, 30);
    MediaInfo.Video v = info.video();
    int h = Math.min(720, v.height());
    int w = Math.max(2, (int) Math.round((double) v.width() * h / v.height()) & ~1);
    FfmpegProcess.Result r = FfmpegProcess.run(bin.command(bin.ffmpeg(), List.of("-hide_banner", "-nostdin", "-y", "-v", "error",
        "-ss", String.format(Locale.ROOT, "%.3f", at), "-i", source.toString(), "-frames:v", "1",
        "-vf", "scale=" + w + ":" + (h & ~1) + ",setsar=1", "-q:v", "3", out.resolve("poster.jpg").toString())), Duration.ofMinutes(2), null, false);
    return r.exitCode() == 0 && Files.exists(out.resolve("poster.jpg")) ? "poster.jpg" : null;
  }

  /** Where single thumbnails wait to be tiled: beside the output folder, so they are not published. */
  private static Path rawThumbs(Path out) {
    return out.resolveSibling(out.getFileName() + "-thumbs");
  }

  /** Sheets of 10×10 thumbnails from the single ones (tiny images: well under a second). */
  private void tileThumbnails(Path out) {
    FfmpegProcess.Result r = FfmpegProcess.run(bin.command(bin.ffmpeg(), List.of("-hide_banner", "-nostdin", "-y", "-v", "error",
        "-framerate", "1", "-i", rawThumbs(out).resolve("t-%05d.jpg").toString(), "-vf", "tile=" + SHEET + "x" + SHEET,
        "-q:v", "5", out.resolve("thumbs/sprite-%03d.jpg").toString())), Duration.ofMinutes(5), null, false);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("tiling thumbnails failed: " + lastLine(r.stderr()));
    }
  }

  /** The WebVTT index of the thumbnail sheets: one cue per thumbnail, pointing at its tile with a media fragment. */
  private static String thumbnailIndex(MediaInfo info, Path out) {
    int interval = thumbnailInterval(info);
    int[] size = thumbSize(info.video());
    int count = (int) Math.ceil(info.durationSeconds() / interval);
    StringBuilder vtt = new StringBuilder("WEBVTT\n");
    for (int k = 0; k < count; k++) {
      String sheet = String.format(Locale.ROOT, "sprite-%03d.jpg", k / (SHEET * SHEET) + 1);
      if (!Files.exists(out.resolve("thumbs").resolve(sheet))) {
        break;
      }
      int cell = k % (SHEET * SHEET);
      vtt.append('\n').append(time(k * (double) interval)).append(" --> ")
          .append(time(Math.min((k + 1) * (double) interval, info.durationSeconds()))).append('\n')
          .append(sheet).append("#xywh=").append((cell % SHEET) * size[0]).append(',').append((cell / SHEET) * size[1]).append(',')
          .append(size[0]).append(',').append(size[1]).append('\n');
    }
    try {
      Files.writeString(out.resolve("thumbs/thumbs.vtt"), vtt.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "thumbs/thumbs.vtt";
  }

  /** Renditions as the master playlist that ffmpeg wrote announces them, in ladder order. */
  private static List<Rendition> renditions(Path out, List<Rung> ladder) {
    List<String> lines;
    try {
      lines = Files.readAllLines(out.resolve("master.m3u8"));
    } catch (IOException e) {
      throw new UncheckedIOException("ffmpeg wrote no master playlist", e);
    }
    List<Rendition> result = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("#EXT-X-STREAM-INF:")) {
        continue;
      }
      java.util.Map<String, String> attrs = new java.util.HashMap<>();
      Matcher m = ATTRIBUTE.matcher(lines.get(i).substring("#EXT-X-STREAM-INF:".length()));
      while (m.find()) {
        attrs.put(m.group(1), m.group(2).replace("\"", ""));
      }
      String uri = "";
      for (int j = i + 1; j < lines.size() && uri.isEmpty(); j++) {
        uri = lines.get(j).strip();
      }
      String[] size = attrs.getOrDefault("RESOLUTION", "0x0").split("x");
      String folder = uri.contains("/") ? uri.substring(0, uri.indexOf('/')) : "";
      int label = folder.matches("\\d+p") ? Integer.parseInt(folder.substring(0, folder.length() - 1)) : 0;
      result.add(new Rendition(label, Integer.parseInt(size[0]), Integer.parseInt(size[1]),
          Integer.parseInt(attrs.getOrDefault("BANDWIDTH", "0")), attrs.getOrDefault("CODECS", ""), uri));
    }
    if (result.size() != Math.max(1, ladder.size())) {
      throw new IllegalStateException("the master playlist lists " + result.size() + " renditions, expected " + Math.max(1, ladder.size()));
    }
    return result;
  }

  /**
   * Exit status and stderr to a verdict: a damaged source is the teacher's to fix, a machine in trouble (disk full,
   * out of memory, the encoder killed from outside) is retried. ffmpeg exits with its own error codes (183 for
   * invalid data), so only the codes of a kill count as the machine's.
   */
  private static void check(FfmpegProcess.Result r) {
    String err = r.stderr().toLowerCase(Locale.ROOT);
    if (r.exitCode() == 0 && !looksLikeDecodeError(err)) {
      return; // no output, or warnings that cost nothing (a timestamp adjusted, a metadata tag skipped)
    }
    if (err.contains("no space left") || err.contains("cannot allocate memory") || r.exitCode() == 137 || r.exitCode() == 143) {
      throw new IllegalStateException("ffmpeg stopped (exit " + r.exitCode() + "): " + lastLine(r.stderr()));
    }
    LOG.info("ffmpeg rejected the source (exit {}): {}", r.exitCode(), lastLine(r.stderr()));
    throw MediaRejected.damaged();
  }

  private static boolean looksLikeDecodeError(String err) {
    return err.contains("error while decoding") || err.contains("invalid data") || err.contains("corrupt")
        || err.contains("concealing") || err.contains("missing picture") || err.contains("decode_slice") || err.contains("error ");
  }

  private static Duration limit(MediaInfo info) {
    // Slower than three times real time means something is wrong; short clips still get ten minutes.
    return Duration.ofSeconds(Math.max(600, (long) (info.durationSeconds() * 3)));
  }

  static int thumbnailInterval(MediaInfo info) {
    return Math.max(GOP_SECONDS, (int) Math.ceil(info.durationSeconds() / 200));
  }

  private static int[] thumbSize(MediaInfo.Video v) {
    int w = Math.max(2, (int) Math.round((double) v.width() * THUMB_HEIGHT / v.height()) & ~1);
    return new int[] {w, THUMB_HEIGHT};
  }

  private static String fpsExpr(double fps) {
    if (Math.abs(fps - 30000.0 / 1001) < 0.01) {
      return "30000/1001";
    }
    if (Math.abs(fps - 24000.0 / 1001) < 0.01) {
      return "24000/1001";
    }
    return String.format(Locale.ROOT, "%.3f", fps);
  }

  private static String time(double s) {
    long ms = Math.round(s * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
