package org.kelian.it;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy in front of a real server, for tests where a dependency goes away and comes back: {@link #cut()}
 * closes every connection and refuses new ones; {@link #restore()} lets them through again. {@link #throttle} slows
 * what clients send to the server (a village link's upload), whatever the client is.
 */
final class TcpProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> open = new ArrayList<>();
  private volatile boolean cut;
  /** Bytes a second from clients to the server; 0 for no limit. */
  private volatile long upstreamBytesPerSecond;

  TcpProxy(String targetHost, int targetPort) {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      if (cut) {
        in.close();
        return;
      }
      in.pause();
      client.connect(targetPort, targetHost).onComplete(ar -> {
        if (ar.failed() || cut) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        synchronized (open) {
          open.add(in);
          open.add(out);
        }
        upstream(in, out);
        out.pipeTo(in);
        in.resume();
      });
    });
    server.listen(0, "127.0.0.1").await();
  }

  /** Client to server, at most {@link #upstreamBytesPerSecond}: a buffer is written, then reading waits for its time. */
  private void upstream(NetSocket in, NetSocket out) {
    in.handler(buf -> {
      out.write(buf);
      long rate = upstreamBytesPerSecond;
      if (rate > 0) {
        in.pause();
        vertx.setTimer(Math.max(1, buf.length() * 1000L / rate), t -> in.resume());
      } else if (out.writeQueueFull()) {
        in.pause();
        out.drainHandler(v -> in.resume());
      }
    });
    in.endHandler(v -> out.end());
    out.closeHandler(v -> in.close());
    in.closeHandler(v -> out.close());
  }

  /** Slows what clients send to at most this many bytes a second (0: no limit). */
  void throttle(long bytesPerSecond) {
    upstreamBytesPerSecond = bytesPerSecond;
  }

  int port() {
    return server.actualPort();
  }

  void cut() {
    cut = true;
    synchronized (open) {
      open.forEach(NetSocket::close);
      open.clear();
    }
  }

  void restore() {
    cut = false;
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
