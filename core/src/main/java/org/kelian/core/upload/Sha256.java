package org.kelian.core.upload;

import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;

/** A SHA-256 whose running state can be saved and restored, so a file's hash survives a restart mid-upload. */
final class Sha256 {

  private final SHA256Digest digest;

  private Sha256(SHA256Digest digest) {
    this.digest = digest;
  }

  static Sha256 resume(byte[] state) {
    return new Sha256(state == null ? new SHA256Digest() : new SHA256Digest(state));
  }

  void update(byte[] bytes) {
    update(bytes, 0, bytes.length);
  }

  void update(byte[] bytes, int offset, int length) {
    digest.update(bytes, offset, length);
  }

  byte[] state() {
    return digest.getEncodedState();
  }

  String hex() {
    SHA256Digest copy = new SHA256Digest(digest);
    byte[] out = new byte[32];
    copy.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }
}
