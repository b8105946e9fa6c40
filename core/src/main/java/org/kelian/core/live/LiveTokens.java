package org.kelian.core.live;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;

/**
 * Room tokens: the claims as URL-safe Base64 JSON, a dot, and their HMAC-SHA256 under a key every node shares (kept
 * in PostgreSQL). Checking one needs no database round trip, which matters when a thousand classrooms reconnect
 * after a county network blip.
 */
public final class LiveTokens {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** Far above a real token (about 400 characters): anything longer is refused before it is decoded. */
  private static final int MAX_LENGTH = 2048;

  private final byte[] key;

  public LiveTokens(byte[] key) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a room-token key has at least 32 bytes");
    }
    this.key = key.clone();
  }

  public String sign(LiveClaims claims) {
    String payload = ENCODER.encodeToString(claims.toJson().encode().getBytes(StandardCharsets.UTF_8));
    return payload + "." + ENCODER.encodeToString(mac(payload));
  }

  /** The claims of a genuine token that has not expired at {@code now}; otherwise 401 with the reason. */
  public LiveClaims verify(String token, Instant now) {
    if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
      throw invalid();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw invalid();
    }
    String payload = token.substring(0, dot);
    LiveClaims claims;
    try {
      byte[] given = DECODER.decode(token.substring(dot + 1));
      if (!MessageDigest.isEqual(given, mac(payload))) {
        throw invalid();
      }
      claims = LiveClaims.fromJson(new JsonObject(new String(DECODER.decode(payload), StandardCharsets.UTF_8)));
    } catch (KelianException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalid();
    }
    if (!now.isBefore(claims.expiresAt())) {
      throw new KelianException(ErrorKind.UNAUTHENTICATED, "live_token_expired", "课堂令牌已过期，请重新进入课堂",
          "The room token has expired: enter the class again");
    }
    return claims;
  }

  /**
   * A capability for a URL handed to a machine of ours rather than a person (a media server posting a recording):
   * the MAC of {@code purpose:subject} (the prefix keeps it apart from room tokens, whose payloads have no ':').
   */
  public String tag(String purpose, String subject) {
    return ENCODER.encodeToString(mac(purpose + ":" + subject));
  }

  public boolean tagMatches(String purpose, String subject, String tag) {
    if (tag == null || tag.length() > 64) {
      return false;
    }
    try {
      return MessageDigest.isEqual(DECODER.decode(tag), mac(purpose + ":" + subject));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static KelianException invalid() {
    return new KelianException(ErrorKind.UNAUTHENTICATED, "live_token_invalid", "课堂令牌无效", "The room token is not valid");
  }

  private byte[] mac(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
