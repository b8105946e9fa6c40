package org.kelian.media.live;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.kelian.core.live.LiveFeed;
import org.kelian.media.transcode.FfmpegBinaries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live HLS of open classes: the lead's recording (WebM pieces arriving by tus every few seconds) is piped into one
 * bundled {@code ffmpeg} per class, which encodes H.264/AAC and writes a sliding HLS playlist of 2-second segments
 * under {@code dir/<occurrenceId>/}. When the class ends, ffmpeg gets the end of its input and closes the playlist.
 * One node: the class's recording must arrive at the node that serves its viewers.
 */
public final class LiveHls implements LiveFeed, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveHls.class);
  private static final Pattern FILE = Pattern.compile("index\\.m3u8|seg\\d{5}\\.ts");
  private static final byte[] END = new byte[0];

  private final FfmpegBinaries bin;
  private final Path dir;
  private final Map<UUID, Packager> packagers = new ConcurrentHashMap<>();

  public LiveHls(FfmpegBinaries bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
  }

  @Override
  public void bytes(UUID occurrenceId, long offset, Buffer bytes) {
    Packager p = packagers.computeIfAbsent(occurrenceId, this::start);
    if (p != null) {
      p.offer(offset, bytes.getBytes());
    }
  }

  @Override
  public void end(UUID occurrenceId) {
    Packager p = packagers.remove(occurrenceId);
    if (p != null) {
      p.offer(-1, END);
    }
  }

  /** A file of the class's live stream (its playlist or a segment), if there is one by that name. */
  public Optional<Path> file(UUID occurrenceId, String name) {
    if (name == null || !FILE.matcher(name).matches()) {
      return Optional.empty();
    }
    Path f = dir.resolve(occurrenceId.toString()).resolve(name);
    return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
  }

  @Override
  public void close() {
    packagers.values().forEach(p -> p.process.destroyForcibly());
    packagers.clear();
  }

  private Packager start(UUID occurrenceId) {
    Path out = dir.resolve(occurrenceId.toString());
    try {
      Files.createDirectories(out);
      ProcessBuilder pb = bin.command(bin.ffmpeg(), List.of("-hide_banner", "-loglevel", "error", "-fflags", "+genpts", "-f", "webm",
          "-i", "pipe:0", "-map", "0:v:0?", "-map", "0:a:0?",
          "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-vf", "scale=-2:'min(720,ih)'",
          "-b:v", "1500k", "-maxrate", "1800k", "-bufsize", "1800k", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
          "-force_key_frames", "expr:gte(t,n_forced*2)", "-c:a", "aac", "-b:a", "64k", "-ar", "48000",
          "-f", "hls", "-hls_time", "2", "-hls_list_size", "10", "-hls_flags", "delete_segments+independent_segments+temp_file",
          "-hls_segment_filename", "seg%05d.ts", "index.m3u8"))
          .directory(out.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(out.resolve("ffmpeg.log").toFile());
      Packager p = new Packager(occurrenceId, pb.start());
      p.writer.start();
      LOG.info("live HLS of occurrence {} started", occurrenceId);
      return p;
    } catch (IOException e) {
      LOG.warn("live HLS of occurrence {} could not start: {}", occurrenceId, e.getMessage());
      return null;
    }
  }

  /** One class's ffmpeg and the thread that feeds its input in order. */
  private final class Packager {
    final Process process;
    final Thread writer;
    final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    /** The offset up to which bytes were queued: bytes sent again after a retried PATCH are not fed twice. */
    long high;

    Packager(UUID occurrenceId, Process process) {
      this.process = process;
      this.writer = new Thread(() -> feed(occurrenceId), "live-hls-" + occurrenceId);
      writer.setDaemon(true);
    }

    synchronized void offer(long offset, byte[] bytes) {
      if (bytes == END) {
        queue.add(END);
        return;
      }
      long end = offset + bytes.length;
      if (end <= high || offset > high) {
        return; // already fed, or a gap (bytes this node never saw): the stream cannot go on from there
      }
      int skip = (int) (high - offset);
      byte[] fresh = skip == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, skip, bytes.length);
      high = end;
      queue.add(fresh);
    }

    private void feed(UUID occurrenceId) {
      try (OutputStream in = process.getOutputStream()) {
        while (true) {
          byte[] next = queue.poll(6, TimeUnit.HOURS);
          if (next == null || next == END) {
            break;
          }
          in.write(next);
          in.flush();
        }
      } catch (IOException e) {
        LOG.warn("live HLS of occurrence {}: ffmpeg stopped reading ({})", occurrenceId, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

}
