package org.kelian.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kelian.media.transcode.FfmpegBinaries;

/** Media made for the tests by the bundled ffmpeg and ffprobe: test patterns with a tone, and checks of outputs. */
final class Clips {

  private static final FfmpegBinaries BIN = FfmpegBinaries.load();

  private Clips() {
  }

  static Path dir() {
    try {
      return Files.createDirectories(TestStack.dataDir().resolve("clips"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code seconds} of a moving test pattern at {@code w}×{@code h}, with a 440 Hz tone unless {@code silent}. */
  static Path pattern(String name, int w, int h, double seconds, boolean silent, String... extraOutputArgs) {
    Path out = dir().resolve(name);
    if (Files.exists(out)) {
      return out;
    }
    List<String> a = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=" + w + "x" + h + ":rate=25"));
    if (!silent) {
      a.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"));
    }
    a.addAll(List.of("-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));
    if (!silent) {
      a.addAll(List.of("-c:a", "aac"));
    }
    a.addAll(List.of(extraOutputArgs));
    a.add(out.toString());
    ffmpeg(a);
    return out;
  }

  static void ffmpeg(List<String> args) {
    List<String> a = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-y", "-v", "error"));
    a.addAll(args);
    run(BIN.ffmpeg(), a);
  }

  static String ffprobe(String... args) {
    List<String> a = new ArrayList<>(List.of("-v", "error"));
    a.addAll(List.of(args));
    return run(BIN.ffprobe(), a);
  }

  private static String run(Path exe, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LD_LIBRARY_PATH", exe.getParent().toString());
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new AssertionError(exe.getFileName() + " " + args + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
