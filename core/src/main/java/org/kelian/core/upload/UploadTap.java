package org.kelian.core.upload;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** Sees the bytes of an upload's PATCH as they arrive (a live class's recording feeding its live stream). */
public interface UploadTap {

  /** The body to write: {@code body} itself, or a view of it that also hands each buffer on. */
  ReadStream<Buffer> wrap(Upload upload, ReadStream<Buffer> body);

  UploadTap NONE = (u, body) -> body;

  /** {@code body}, handing each buffer to {@code seen} with its offset in the file before the writer gets it. */
  static ReadStream<Buffer> watching(ReadStream<Buffer> body, long startOffset, java.util.function.ObjLongConsumer<Buffer> seen) {
    return new ReadStream<>() {
      private long position = startOffset;

      @Override
      public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        body.exceptionHandler(handler);
        return this;
      }

      @Override
      public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        body.handler(handler == null ? null : buf -> {
          seen.accept(buf, position);
          position += buf.length();
          handler.handle(buf);
        });
        return this;
      }

      @Override
      public ReadStream<Buffer> pause() {
        body.pause();
        return this;
      }

      @Override
      public ReadStream<Buffer> resume() {
        body.resume();
        return this;
      }

      @Override
      public ReadStream<Buffer> fetch(long amount) {
        body.fetch(amount);
        return this;
      }

      @Override
      public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        body.endHandler(endHandler);
        return this;
      }
    };
  }
}
