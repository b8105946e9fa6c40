package org.kelian.it;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy in front of a real server, for tests where a dependency goes away and comes back: {@link #cut()}
 * closes every connection and refuses new ones; {@link #restore()} lets them through again.
 */
final class TcpProxy implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;
  private final NetClient client;
  private final List<NetSocket> open = new ArrayList<>();
  private volatile boolean cut;

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
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
      });
    });
    server.listen(0, "127.0.0.1").await();
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
