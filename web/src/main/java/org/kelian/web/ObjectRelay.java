package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.IntConsumer;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.storage.ObjectStore;

/**
 * Streams an object to the viewer through a short-lived presigned URL, passing Range on and the range headers
 * back: no thread blocks and nothing is buffered. Files, HLS playlists and segments, posters all go through here.
 * Objects that never change (HLS files) are kept in the node's {@link FileCache} when there is one, and sent from
 * there with the operating system's file transfer, Range answered here.
 */
final class ObjectRelay {

  private static final Set<String> PASS_HEADERS = Set.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified");

  /** The headers the platform sets on the reply; {@code disposition} may be null. */
  record Reply(String contentType, String disposition, String cacheControl) {
  }

  private static final long FILL_IDLE_MS = 30_000;

  private final Vertx vertx;
  private final ObjectStore objects;
  private final HttpClient http;
  private final FileCache cache; // null: every object is relayed

  ObjectRelay(Vertx vertx, ObjectStore objects, HttpClient http, FileCache cache) {
    this.vertx = vertx;
    this.objects = objects;
    this.http = http;
    this.cache = cache;
  }

  /**
   * Serves an object whose bytes never change under its key, from the node's cache (filled from the store on a
   * miss). Anything the cache cannot take (an object too large for it, a full disk) is relayed instead.
   */
  void serveImmutable(RoutingContext ctx, String key, Reply reply) {
    if (cache == null) {
      serve(ctx, key, reply, status -> {
      });
      return;
    }
    cache.get(key, file -> fetch(key, file)).onComplete(ar -> {
      if (ctx.response().closed()) {
        return;
      }
      if (ar.succeeded()) {
        send(ctx, key, ar.result(), reply);
      } else if (ar.cause() instanceof KelianException k && k.kind() == ErrorKind.NOT_FOUND) {
        ctx.fail(k);
      } else {
        serve(ctx, key, reply, status -> {
        });
      }
    });
  }

  /**
   * Writes the whole object to {@code file} and answers its size, or fails (and the caller relays) when it is larger
   * than the cache takes.
   */
  private Future<Long> fetch(String key, Path file) {
    return objects.presignedGet(key, Duration.ofMinutes(5))
        // A store that stops sending fails the fill (and whoever waits for it) instead of holding it forever.
        .compose(url -> http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(FILL_IDLE_MS)))
        .compose(req -> req.send())
        .compose(upstream -> {
          KelianException refused = refusal(upstream.statusCode());
          if (refused != null) {
            upstream.body();
            return Future.failedFuture(refused);
          }
          long length = contentLength(upstream);
          if (length < 0 || length > cache.largestObject()) {
            upstream.exceptionHandler(ignored -> {
            }).request().reset();
            return Future.failedFuture(new IllegalStateException("not cached: " + key + " has " + length + " bytes"));
          }
          upstream.pause(); // until the file is open: no byte may arrive before the pipe takes them
          return vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
              .compose(f -> upstream.pipeTo(f))
              .compose(v -> vertx.fileSystem().props(file.toString()))
              .compose(props -> props.size() == length ? Future.succeededFuture(length)
                  : Future.failedFuture(new IllegalStateException("object " + key + " came short: " + props.size() + " of " + length + " bytes")));
        });
  }

  private static long contentLength(HttpClientResponse upstream) {
    try {
      String v = upstream.getHeader("Content-Length");
      return v == null ? -1 : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A cached file, whole or the one range asked for (several ranges, or one that does not parse: the whole file). */
  private void send(RoutingContext ctx, String key, FileCache.Cached c, Reply reply) {
    var resp = ctx.response();
    long size = c.size();
    long[] range = ByteRange.parse(ctx.request().getHeader("Range"), size);
    headers(resp, reply).putHeader("Accept-Ranges", "bytes");
    if (range == ByteRange.UNSATISFIABLE) {
      resp.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
      return;
    }
    long offset = 0;
    long length = size;
    if (range != null) {
      offset = range[0];
      length = range[1] - range[0] + 1;
      resp.setStatusCode(206).putHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
    resp.sendFile(c.file().toString(), offset, length).onFailure(t -> {
      if (resp.closed()) {
        return;
      }
      if (!resp.headWritten()) {
        // Evicted between finding it and opening it, or gone from the disk: from the store then, and filled again
        // by the next request.
        cache.forget(key, c);
        resp.setStatusCode(200).headers().clear();
        serve(ctx, key, reply, status -> {
        });
      } else {
        ctx.request().connection().close();
      }
    });
  }

  /**
   * Serves the object at {@code key}; {@code onStatus} hears the status before the body flows.
   * Failures before the first byte go to the failure handler; after it, the connection is closed.
   */
  void serve(RoutingContext ctx, String key, Reply reply, IntConsumer onStatus) {
    String range = ctx.request().getHeader("Range");
    objects.presignedGet(key, Duration.ofMinutes(5)).compose(url -> {
      RequestOptions opts = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url);
      if (range != null) {
        opts.putHeader("Range", range);
      }
      return http.request(opts).compose(req -> req.send()).compose(upstream -> relay(ctx, upstream, reply, onStatus));
    }).onFailure(t -> {
      if (ctx.response().closed() || ctx.response().ended()) {
        return; // the viewer went away (a video seeking, a closed tab): nothing left to answer
      }
      if (!ctx.response().headWritten()) {
        ctx.fail(t);
      } else {
        ctx.request().connection().close();
      }
    });
  }

  /** Why an answer of the store is not passed on (null: it is): a missing object, or trouble at the store. */
  private static KelianException refusal(int status) {
    if (status == 404) {
      return KelianException.notFound("object_not_found", "文件不存在", "The file does not exist");
    }
    if (status != 200 && status != 206 && status != 416) {
      return new KelianException(ErrorKind.UNAVAILABLE, "object_store_error", "文件存储返回错误，请稍后再试",
          "The object store answered " + status + "; try again shortly");
    }
    return null;
  }

  private Future<Void> relay(RoutingContext ctx, HttpClientResponse upstream, Reply reply, IntConsumer onStatus) {
    int status = upstream.statusCode();
    KelianException refused = refusal(status);
    if (refused != null) {
      upstream.body();
      return Future.failedFuture(refused);
    }
    var resp = ctx.response().setStatusCode(status);
    PASS_HEADERS.forEach(h -> {
      String v = upstream.getHeader(h);
      if (v != null) {
        resp.putHeader(h, v);
      }
    });
    headers(resp, reply);
    onStatus.accept(status);
    // When the viewer goes away mid-file, stop reading from the store too.
    resp.closeHandler(v -> upstream.request().reset());
    return upstream.pipeTo(resp);
  }

  /** The platform's own headers on a stored file, relayed or from the cache. */
  private static HttpServerResponse headers(HttpServerResponse resp, Reply reply) {
    // Stored files are sent as they are: media and documents gain little from gzip and it would cost the CPU of
    // every segment a player fetches (the server compresses JSON and pages, not these).
    resp.putHeader(io.vertx.core.http.HttpHeaders.CONTENT_ENCODING, io.vertx.core.http.HttpHeaders.IDENTITY)
        .putHeader("Content-Type", reply.contentType())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "sandbox")
        .putHeader("Cache-Control", reply.cacheControl());
    if (reply.disposition() != null) {
      resp.putHeader("Content-Disposition", reply.disposition());
    }
    return resp;
  }
}
