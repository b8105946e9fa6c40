package org.kelian.media.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kelian.media.transcode.FfmpegBinaries;

/** A class whose recording is not a stream ffmpeg can read: its live stream ends and is not started again. */
class LiveHlsTest {

  @Test
  void aStreamThatFfmpegRejectsIsOverAndLaterBytesAreDropped(@TempDir Path dir) throws Exception {
    byte[] noise = new byte[256 * 1024];
    new Random(3).nextBytes(noise);
    UUID occurrence = UUID.randomUUID();
    try (LiveHls hls = new LiveHls(FfmpegBinaries.load(), dir)) {
      long offset = 0;
      // Pieces keep coming, as from a page; ffmpeg rejects the input and stops reading, which ends the stream.
      for (int i = 0; i < 600 && (offset == 0 || hls.streaming(occurrence)); i++) {
        hls.bytes(occurrence, offset, Buffer.buffer(noise));
        offset += noise.length;
        Thread.sleep(100);
      }
      assertFalse(hls.streaming(occurrence), "ffmpeg rejected the bytes: the stream is over");
      for (int i = 0; i < 5; i++) {
        hls.bytes(occurrence, offset, Buffer.buffer(noise));
        offset += noise.length;
      }
      assertFalse(hls.streaming(occurrence));
      assertEquals(1, hls.started(), "no second ffmpeg for the same class");

      UUID other = UUID.randomUUID();
      hls.bytes(other, 0, Buffer.buffer(noise));
      assertTrue(hls.streaming(other), "another class gets its own stream");
      hls.end(occurrence);
      hls.end(other);
    }
  }
}
