package org.kelian.media.live;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN credentials by coturn's REST scheme ({@code use-auth-secret} with {@code static-auth-secret}): the
 * username is {@code <unix expiry seconds>:<userId>} and the password is base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the password from the username and refuses it once the expiry has passed.
 */
public final class TurnCredentials {

  /** One issued credential; {@code password} goes to the browser as the RTCIceServer {@code credential}. */
  public record Credential(String username, String password, Instant expiresAt) {
    @Override
    public String toString() {
      return "Credential[username=" + username + ", password=***, expiresAt=" + expiresAt + "]";
    }
  }

  private TurnCredentials() {
  }

  public static Credential issue(String secret, String userId, Instant now, Duration ttl) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("the TURN secret is empty");
    }
    if (userId == null || userId.isBlank() || userId.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a TURN user id must be non-blank and contain no ':', got '" + userId + "'");
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the TURN credential lifetime must be positive, got " + ttl);
    }
    Instant expiresAt = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
    String username = expiresAt.getEpochSecond() + ":" + userId;
    return new Credential(username, password(secret, username), expiresAt);
  }

  /** base64(HMAC-SHA1(secret, username)), standard alphabet with padding, as coturn computes it. */
  static String password(String secret, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available in this JVM", e);
    }
  }
}
