package org.kelian.media.transcode;

import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;

/**
 * The ffmpeg and ffprobe executables of JavaCV's FFmpeg build, unpacked by JavaCPP's loader into its cache. They
 * find their shared libraries through {@code LD_LIBRARY_PATH}, set to their own folder when they are started.
 */
public record FfmpegBinaries(Path ffmpeg, Path ffprobe) {

  public static FfmpegBinaries load() {
    try {
      return new FfmpegBinaries(Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class)),
          Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class)));
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException("the bundled FFmpeg could not be unpacked for this platform (" + Loader.getPlatform() + "): "
          + e.getMessage(), e);
    }
  }

  public ProcessBuilder command(Path exe, java.util.List<String> args) {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(exe.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LD_LIBRARY_PATH", exe.getParent().toString());
    return pb;
  }
}
