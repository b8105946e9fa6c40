package org.kelian.media.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;

/**
 * The RTCPeerConnection {@code iceServers} list for one user: STUN URLs as they are, TURN URLs with a fresh
 * credential. Empty when nothing is configured; browsers on one LAN then connect through host candidates.
 */
public final class IceServers {

  private final IceOptions options;

  public IceServers(IceOptions options) {
    this.options = options;
  }

  public JsonArray forUser(String userId, Instant now) {
    JsonArray servers = new JsonArray();
    if (!options.stunUrls().isEmpty()) {
      servers.add(new JsonObject().put("urls", new JsonArray(new ArrayList<>(options.stunUrls()))));
    }
    if (!options.turnUrls().isEmpty()) {
      TurnCredentials.Credential c = TurnCredentials.issue(options.turnSecret(), userId, now, options.turnTtl());
      servers.add(new JsonObject()
          .put("urls", new JsonArray(new ArrayList<>(options.turnUrls())))
          .put("username", c.username())
          .put("credential", c.password()));
    }
    return servers;
  }

  /** The browsers' RTCPeerConnection iceTransportPolicy: "relay" when every connection must go through TURN. */
  public String transportPolicy() {
    return options.relayOnly() ? "relay" : "all";
  }

  /** How long TURN credentials issued now work, in seconds; 0 when there is no TURN server (nothing to renew). */
  public long ttlSeconds() {
    return options.turnUrls().isEmpty() ? 0 : options.turnTtl().toSeconds();
  }

  /** When the TURN credentials issued at {@code now} stop working; a client should ask again before then. */
  public Instant expiresAt(Instant now) {
    return Instant.ofEpochSecond(now.plus(options.turnTtl()).getEpochSecond());
  }
}
