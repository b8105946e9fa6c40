package org.kelian.core.media;

import java.nio.file.Path;
import java.util.List;

/**
 * The transcoding port: probes a local source file and turns it into HLS in a local folder. Calls block for as
 * long as the work takes; the caller runs them on worker threads, never on an event loop.
 */
public interface Transcoder {

  /** Null when the encoder can run here; otherwise why not, with the fix (a missing system library, say). */
  String unavailableReason();

  /** What the file holds; fails with {@link MediaRejected} when it is not playable media. */
  MediaInfo probe(Path source);

  /**
   * Writes {@code master.m3u8}, one folder per rendition, the poster and the thumbnail sprites with their WebVTT
   * index under {@code out}. {@code progress} is told the share done (0..1) and answers false to stop the work,
   * which then ends with {@link java.util.concurrent.CancellationException}. A damaged source fails with
   * {@link MediaRejected}; anything else is an error of the machine, worth retrying.
   */
  Output transcode(Path source, MediaInfo info, List<Rung> ladder, Path out, Progress progress);

  /** Remuxes one rendition's HLS playlist (local) into a single MP4 file, without re-encoding. */
  void remuxToMp4(Path playlist, Path mp4);

  @FunctionalInterface
  interface Progress {
    boolean report(double fraction);
  }

  /** Paths are relative to the output folder. */
  record Output(String master, List<Rendition> renditions, String poster, String thumbnails) {
  }

  /** One rendition as published: its size, the peak bandwidth and the codecs string of the master playlist. */
  record Rendition(int label, int width, int height, int bandwidth, String codecs, String playlist) {

    public io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject().put("label", label).put("width", width).put("height", height)
          .put("bandwidth", bandwidth).put("codecs", codecs).put("playlist", playlist);
    }

    public static Rendition fromJson(io.vertx.core.json.JsonObject j) {
      return new Rendition(j.getInteger("label"), j.getInteger("width"), j.getInteger("height"), j.getInteger("bandwidth"),
          j.getString("codecs"), j.getString("playlist"));
    }
  }
}
