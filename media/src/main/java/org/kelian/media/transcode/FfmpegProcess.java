package org.kelian.media.transcode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One supervised ffmpeg or ffprobe run: stdout read line by line (progress, or ffprobe's JSON), the tail of
 * stderr kept for the diagnosis, a wall-clock limit, and a kill when the caller asks to stop. The process is
 * killed on every way out, so no encoder outlives its job.
 */
final class FfmpegProcess {

  private static final int STDERR_TAIL = 16 * 1024;

  record Result(int exitCode, String stdout, String stderr) {
  }

  private FfmpegProcess() {
  }

  /**
   * Runs to the end. {@code onLine} sees each stdout line and answers false to stop the run, which then ends with
   * {@link CancellationException}; {@code keepStdout} collects stdout into the result instead.
   */
  static Result run(ProcessBuilder pb, Duration limit, Predicate<String> onLine, boolean keepStdout) {
    Process p;
    try {
      p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command().get(0), e);
    }
    StringBuilder err = new StringBuilder();
    Thread errReader = daemon("ffmpeg-stderr", () -> tail(p.getErrorStream(), err));
    StringBuilder out = new StringBuilder();
    long deadline = System.nanoTime() + limit.toNanos();
    boolean stopped = false;
    Thread watchdog = daemon("ffmpeg-watchdog", () -> {
      try {
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        // the run ended first
      }
    });
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (keepStdout) {
          out.append(line).append('\n');
        } else if (onLine != null && !onLine.test(line)) {
          stopped = true;
          p.destroyForcibly();
          break;
        }
      }
      int code = p.waitFor();
      errReader.join(5000);
      if (stopped) {
        throw new CancellationException("stopped");
      }
      if (System.nanoTime() > deadline) {
        throw new FfmpegTimeout(limit);
      }
      synchronized (err) {
        return new Result(code, out.toString(), err.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted");
    } finally {
      p.destroyForcibly();
      watchdog.interrupt();
    }
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void tail(InputStream in, StringBuilder err) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (err) {
          err.append(line).append('\n');
          if (err.length() > STDERR_TAIL) {
            err.delete(0, err.length() - STDERR_TAIL);
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /** The run took longer than any sane encode of its source could. */
  static final class FfmpegTimeout extends RuntimeException {
    FfmpegTimeout(Duration limit) {
      super("ffmpeg ran longer than " + limit.toMinutes() + " minutes and was stopped");
    }
  }
}
