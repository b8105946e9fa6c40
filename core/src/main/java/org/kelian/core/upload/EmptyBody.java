package org.kelian.core.upload;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/** A request body with no bytes: what ending a deferred-length upload at its offset writes. */
final class EmptyBody implements ReadStream<Buffer> {

  private final Vertx vertx;
  private Handler<Void> end;
  private boolean done;

  EmptyBody(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (!done && end != null) {
      done = true;
      Handler<Void> h = end;
      vertx.runOnContext(v -> h.handle(null));
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.end = endHandler;
    return this;
  }
}
