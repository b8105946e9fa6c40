package org.kelian.core.live;

import io.vertx.core.buffer.Buffer;
import java.util.UUID;

/**
 * Where the bytes of an open class's recording go while they arrive, to become a live stream for the viewers the
 * browser mesh cannot hold (the media module's live HLS packager).
 */
public interface LiveFeed {

  /** Bytes of the recording at this offset of the file, in order; bytes sent again after a retry are skipped. */
  void bytes(UUID occurrenceId, long offset, Buffer bytes);

  /** The class ended: the stream ends too. */
  void end(UUID occurrenceId);

  LiveFeed NONE = new LiveFeed() {
    @Override
    public void bytes(UUID occurrenceId, long offset, Buffer bytes) {
    }

    @Override
    public void end(UUID occurrenceId) {
    }
  };
}
