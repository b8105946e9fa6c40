package org.kelian.core.resource;

import io.vertx.core.Future;
import org.kelian.core.auth.User;

/**
 * Who may watch the recording of a live class besides those who see any resource (its owner, admins, readers of
 * the published library): the session's replay setting decides (the live-class module answers).
 */
public interface ReplayAccess {

  Future<Boolean> mayReplay(User actor, Resource recording);

  ReplayAccess NONE = (actor, recording) -> Future.succeededFuture(false);
}
