package org.kelian.deploy.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

final class Ports {

  private Ports() {
  }

  /** A loopback port free right now. The child binds it a moment later; a clash fails its start, which is retried. */
  static int free() {
    return free(1)[0];
  }

  /** Several distinct free ports: all are held open together while chosen, so none is handed out twice. */
  static int[] free(int n) {
    ServerSocket[] sockets = new ServerSocket[n];
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException ignored) {
            // nothing to release
          }
        }
      }
    }
  }
}
