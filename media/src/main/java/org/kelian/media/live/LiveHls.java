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
  /** A class whose recording sends nothing for this long has lost its lead's page: its live stream is closed. */
  static final long IDLE_MINUTES = 5;

  private final FfmpegBinaries bin;
  private final Path dir;
  private final Map<UUID, Packager> packagers = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

  public LiveHls(FfmpegBinaries bin, Path dir) {
    this.bin = bin;
    this.dir = dir;
  }

  @Override
  public void bytes(UUID occurrenceId, long offset, Buffer bytes) {
    // Called on an event loop: the packager starts its ffmpeg on its own thread, never here.
    packagers.computeIfAbsent(occurrenceId, Packager::new).offer(offset, bytes.getBytes());
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

  /** Whether this occurrence has a live stream in progress (bytes came, and its stream is not over). */
  boolean streaming(UUID occurrenceId) {
    Packager p = packagers.get(occurrenceId);
    return p != null && !p.over;
  }

  /** How many streams were ever started: a stream that is over is never started again for the same class. */
  int started() {
    return started.get();
  }

  @Override
  public void close() {
    packagers.values().forEach(Packager::stop);
    packagers.clear();
  }

  /**
   * One class's ffmpeg and the thread that starts it and feeds its input in order. Once its stream is over — the
   * class ended, ffmpeg failed, or no bytes came for {@link #IDLE_MINUTES} (the lead's page is gone) — it stays
   * {@code over} until the class ends: later bytes are dropped rather than queued for nobody or fed to a fresh ffmpeg
   * that would lack the stream's header.
   */
  private final class Packager {
    final UUID occurrenceId;
    final Thread writer;
    final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    volatile Process process;
    /** The offset up to which bytes were queued: bytes sent again after a retried PATCH are not fed twice. */
    long high;
    volatile boolean over;

    Packager(UUID occurrenceId) {
      this.occurrenceId = occurrenceId;
      this.writer = new Thread(this::run, "live-hls-" + occurrenceId);
      writer.setDaemon(true);
      writer.start();
    }

    synchronized void offer(long offset, byte[] bytes) {
      if (bytes == END) {
        queue.add(END);
        return;
      }
      long end = offset + bytes.length;
      if (over || end <= high || offset > high) {
        return; // over, already fed, or a gap (bytes this node never saw): the stream cannot go on from there
      }
      int skip = (int) (high - offset);
      byte[] fresh = skip == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, skip, bytes.length);
      high = end;
      queue.add(fresh);
    }

    void stop() {
      over = true;
      writer.interrupt();
      Process p = process;
      if (p != null) {
        p.destroyForcibly();
      }
    }

    private void run() {
      try {
        Process p = startFfmpeg();
        process = p;
        feed(p);
      } catch (IOException e) {
        LOG.warn("live HLS of occurrence {} could not start: {}", occurrenceId, e.getMessage());
      } finally {
        synchronized (this) { // with offer(): nothing is queued after this clear
          over = true;
          queue.clear();
        }
      }
    }

    private Process startFfmpeg() throws IOException {
      Path out = dir.resolve(occurrenceId.toString());
      Files.createDirectories(out);
      ProcessBuilder pb = bin.command(bin.ffmpeg(), List.of("-hide_banner", "-loglevel", "error", "-fflags", "+genpts", "-f", "webm",
          "-i", "pipe:0", "-map", "0:v:0?", "-map", "0:a:0?",
          "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-vf", "scale=-2:'min(720,ih)'",
          "-b:v", "1500k", "-maxrate", "1800k", "-bufsize", "1800k", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
          "-force_key_frames", "expr:gte(t,n_forced*2)", "-c:a", "aac", "-b:a", "64k", "-ar", "48000",
          "-f", "hls", "-hls_time", "2", "-hls_list_size", "10", "-hls_flags", "delete_segments+independent_segments+temp_file",
          "-hls_segment_filename", "seg%05d.ts", "index.m3u8"))
          .directory(out.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(out.resolve("ffmpeg.log").toFile());
      Process p = pb.start();
      started.incrementAndGet();
      LOG.info("live HLS of occurrence {} started", occurrenceId);
      return p;
    }

    private void feed(Process p) {
      try (OutputStream in = p.getOutputStream()) {
        while (true) {
          byte[] next = queue.poll(IDLE_MINUTES, TimeUnit.MINUTES);
          if (next == null) {
            LOG.info("live HLS of occurrence {}: nothing came for {} minutes, stream closed", occurrenceId, IDLE_MINUTES);
            break;
          }
          if (next == END) {
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
      over = true; // closing its input lets ffmpeg write the last segment and end the playlist
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

}
