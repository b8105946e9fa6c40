package org.kelian.core.media;

/**
 * One rendition of the ladder: its output size, the capped-CRF encode settings and the audio bitrate.
 * {@code label} is the rung's short side (a 720p rung of a portrait video is 720 wide).
 */
public record Rung(int label, int width, int height, int crf, int maxrateKbps, int audioKbps) {

  /** Peak bits per second a player must sustain, for the master playlist's BANDWIDTH. */
  public int peakBitsPerSecond() {
    return (maxrateKbps + audioKbps) * 1000;
  }
}
