package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** Serves the router built from the shared services; several instances may share the port. */
public final class WebVerticle extends VerticleBase {

  private final WebServices services;
  private final int port;
  private HttpServer server;

  /** {@code port}: the configured one for the first instance, then the port it bound, so that 0 works too. */
  public WebVerticle(WebServices services, int port) {
    this.services = services;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions opts = new HttpServerOptions().setHost(services.http().host()).setPort(port)
        .setCompressionSupported(true)
        // Browsers never speak HTTP/2 over cleartext; keeping h2c off keeps one request model for every client.
        .setHttp2ClearTextEnabled(false).setMaxFormAttributeSize(64 * 1024)
        // Signaling messages are small and many connections stay open: no per-connection deflate state.
        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false);
    return vertx.createHttpServer(opts).requestHandler(ApiRouter.create(vertx, services)).listen()
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }
}
