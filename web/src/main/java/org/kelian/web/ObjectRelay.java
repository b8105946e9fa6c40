package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.function.IntConsumer;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.storage.ObjectStore;

/**
 * Streams an object to the viewer through a short-lived presigned URL, passing Range on and the range headers
 * back: no thread blocks and nothing is buffered. Files, HLS playlists and segments, posters all go through here.
 */
final class ObjectRelay {

  private static final Set<String> PASS_HEADERS = Set.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified");

  /** The headers the platform sets on the reply; {@code disposition} may be null. */
  record Reply(String contentType, String disposition, String cacheControl) {
  }

  private final ObjectStore objects;
  private final HttpClient http;

  ObjectRelay(ObjectStore objects, HttpClient http) {
    this.objects = objects;
    this.http = http;
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

  private Future<Void> relay(RoutingContext ctx, HttpClientResponse upstream, Reply reply, IntConsumer onStatus) {
    int status = upstream.statusCode();
    if (status == 404) {
      upstream.body();
      return Future.failedFuture(KelianException.notFound("object_not_found", "文件不存在", "The file does not exist"));
    }
    if (status != 200 && status != 206 && status != 416) {
      upstream.body();
      return Future.failedFuture(new KelianException(ErrorKind.UNAVAILABLE, "object_store_error", "文件存储返回错误，请稍后再试",
          "The object store answered " + status + "; try again shortly"));
    }
    var resp = ctx.response().setStatusCode(status);
    PASS_HEADERS.forEach(h -> {
      String v = upstream.getHeader(h);
      if (v != null) {
        resp.putHeader(h, v);
      }
    });
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
    onStatus.accept(status);
    // When the viewer goes away mid-file, stop reading from the store too.
    resp.closeHandler(v -> upstream.request().reset());
    return upstream.pipeTo(resp);
  }
}
