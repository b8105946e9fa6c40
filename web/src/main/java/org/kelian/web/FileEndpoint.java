package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.resource.Resource;
import org.kelian.core.resource.ResourceService;
import org.kelian.core.storage.ObjectStore;

/**
 * {@code GET /api/v1/resources/{id}/file}: the stored file with Range support, streamed from the object store
 * through a short-lived presigned URL (no thread blocks, no buffering). PDFs, images, audio and video preview
 * inline; everything else downloads. Files are served sandboxed so an uploaded page or SVG cannot run scripts.
 */
final class FileEndpoint {

  private static final Set<String> PASS_HEADERS = Set.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Last-Modified");

  private final ResourceService resources;
  private final ObjectStore objects;
  private final HttpClient http;

  FileEndpoint(ResourceService resources, ObjectStore objects, HttpClient http) {
    this.resources = resources;
    this.objects = objects;
    this.http = http;
  }

  void routes(Router r) {
    r.get("/api/v1/resources/:id/file").handler(this::file);
  }

  private void file(RoutingContext ctx) {
    String range = ctx.request().getHeader("Range");
    boolean download = "1".equals(ctx.queryParams().get("download")) || "true".equals(ctx.queryParams().get("download"));
    Future<Resource> found;
    try {
      found = resources.visible(Http.user(ctx), ResourceEndpoint.id(ctx));
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    found.compose(res -> {
      if (res.file() == null) {
        throw KelianException.notFound("file_missing", "该资源还没有文件", "This resource has no file yet");
      }
      return objects.presignedGet(res.file().objectKey(), Duration.ofMinutes(5)).compose(url -> {
        RequestOptions opts = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url);
        if (range != null) {
          opts.putHeader("Range", range);
        }
        return http.request(opts).compose(req -> req.send()).compose(upstream -> relay(ctx, res, upstream, download, range));
      });
    }).onFailure(t -> {
      if (ctx.response().closed() || ctx.response().ended()) {
        return; // the viewer went away (a video preview seeking, a closed tab): nothing left to answer
      }
      if (!ctx.response().headWritten()) {
        ctx.fail(t);
      } else {
        ctx.request().connection().close();
      }
    });
  }

  private Future<Void> relay(RoutingContext ctx, Resource res, HttpClientResponse upstream, boolean download, String range) {
    int status = upstream.statusCode();
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
    String type = res.file().contentType() == null ? "application/octet-stream" : res.file().contentType();
    boolean inline = !download && previewable(type);
    resp.putHeader("Content-Type", type)
        .putHeader("Content-Disposition", ContentDisposition.of(inline, res.file().name()))
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "sandbox")
        .putHeader("Cache-Control", "private, max-age=300");
    // A download is what the download button asks for; previews (a video seeking, a PDF in the page) are views,
    // and a download resumed with a later Range is the same download.
    if (download && status != 416 && (range == null || range.replace(" ", "").startsWith("bytes=0-"))) {
      resources.countDownload(res.id());
    }
    // When the viewer goes away mid-file, stop reading from the store too.
    resp.closeHandler(v -> upstream.request().reset());
    return upstream.pipeTo(resp);
  }

  static boolean previewable(String type) {
    return type.equals("application/pdf") || type.startsWith("video/") || type.startsWith("audio/")
        || type.startsWith("image/") && !type.startsWith("image/svg");
  }
}
