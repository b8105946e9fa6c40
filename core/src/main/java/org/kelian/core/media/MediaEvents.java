package org.kelian.core.media;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.UUID;

/**
 * "The media of this resource changed" (progress, published, failed), on the event bus so that a page watching
 * a resource hears of it whichever node ran the job.
 */
public final class MediaEvents {

  private static final String ADDRESS = "kelian.media.changed.";

  private final Vertx vertx;

  public MediaEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  public void changed(UUID resourceId) {
    vertx.eventBus().publish(ADDRESS + resourceId, null);
  }

  public MessageConsumer<Object> watch(UUID resourceId, Handler<Void> onChange) {
    return vertx.eventBus().consumer(ADDRESS + resourceId, m -> onChange.handle(null));
  }
}
