package org.kelian.core.media;

import java.util.Locale;

/** Content types of the files a transcode publishes, by extension. */
public final class MediaTypes {

  private MediaTypes() {
  }

  public static String of(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".m3u8")) {
      return "application/vnd.apple.mpegurl";
    }
    if (p.endsWith(".ts")) {
      return "video/mp2t";
    }
    if (p.endsWith(".m4s")) {
      return "video/iso.segment";
    }
    if (p.endsWith(".mp4")) {
      return "video/mp4";
    }
    if (p.endsWith(".jpg") || p.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    if (p.endsWith(".vtt")) {
      return "text/vtt; charset=utf-8";
    }
    return "application/octet-stream";
  }
}
