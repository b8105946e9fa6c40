package org.kelian.core.upload;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of an upload's first {@link #offset()} bytes, kept in memory while the upload streams through this
 * process (the JDK's digest uses the CPU's SHA instructions). It is not persisted: after a restart, or on another
 * node, the hash is computed once from the stored object instead.
 */
final class RunningDigest {

  private final MessageDigest sha;
  private long offset;

  RunningDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized long offset() {
    return offset;
  }

  synchronized void update(ByteBuffer bytes) {
    offset += bytes.remaining();
    sha.update(bytes);
  }

  synchronized String hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
