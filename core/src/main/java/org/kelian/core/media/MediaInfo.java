package org.kelian.core.media;

/**
 * What a probe found in a source file: its container, duration, and the first video and audio streams (either may
 * be absent). Width and height are as displayed: rotation and non-square pixels already applied.
 */
public record MediaInfo(String format, double durationSeconds, Video video, Audio audio) {

  public record Video(String codec, int width, int height, double fps, boolean interlaced) {

    public int shortSide() {
      return Math.min(width, height);
    }

    public boolean portrait() {
      return height > width;
    }
  }

  public record Audio(String codec, int channels, int sampleRate) {
  }

  public boolean audioOnly() {
    return video == null && audio != null;
  }
}
