package org.kelian.media.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FfmpegProbeTest {

  @Test
  void theLengthOfAFileWithoutOneInItsHeaderIsTheEndOfItsLastPacket() {
    // ffprobe's packet lines of a browser recording: out of order around B-frames, N/A where unknown
    String csv = "0.000000,0.066000\n0.066000,0.067000\nN/A,N/A\n11.933000,0.067000\n11.866000,0.067000\n\n";
    assertEquals(12.0, FfmpegProbe.lastPacketEnd(csv), 1e-9);
    assertEquals(0, FfmpegProbe.lastPacketEnd(""));
    assertEquals(3.5, FfmpegProbe.lastPacketEnd("3.5,N/A\n"), 1e-9);
  }
}
