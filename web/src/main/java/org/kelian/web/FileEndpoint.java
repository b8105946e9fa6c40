package org.kelian.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.error.KelianException;
import org.kelian.core.resource.ResourceService;

/**
 * {@code GET /api/v1/resources/{id}/file}: the stored file with Range support, streamed from the object store.
 * PDFs, images, audio and video preview inline; everything else downloads. Files are served sandboxed so an
 * uploaded page or SVG cannot run scripts.
 */
final class FileEndpoint {

  private final ResourceService resources;
  private final ObjectRelay relay;

  FileEndpoint(ResourceService resources, ObjectRelay relay) {
    this.resources = resources;
    this.relay = relay;
  }

  void routes(Router r) {
    r.get("/api/v1/resources/:id/file").handler(this::file);
  }

  private void file(RoutingContext ctx) {
    String range = ctx.request().getHeader("Range");
    boolean download = "1".equals(ctx.queryParams().get("download")) || "true".equals(ctx.queryParams().get("download"));
    Http.attempt(() -> resources.visible(Http.user(ctx), ResourceEndpoint.id(ctx))).onSuccess(res -> {
      if (res.file() == null) {
        ctx.fail(KelianException.notFound("file_missing", "该资源还没有文件", "This resource has no file yet"));
        return;
      }
      String type = res.file().contentType() == null ? "application/octet-stream" : res.file().contentType();
      boolean inline = !download && previewable(type);
      var reply = new ObjectRelay.Reply(type, ContentDisposition.of(inline, res.file().name()), "private, max-age=300");
      relay.serve(ctx, res.file().objectKey(), reply, status -> {
        // A download is what the download button asks for; previews (a video seeking, a PDF in the page) are views,
        // and a download resumed with a later Range is the same download.
        if (download && status != 416 && (range == null || range.replace(" ", "").startsWith("bytes=0-"))) {
          resources.countDownload(res.id());
        }
      });
    }).onFailure(ctx::fail);
  }

  static boolean previewable(String type) {
    return type.equals("application/pdf") || type.startsWith("video/") || type.startsWith("audio/")
        || type.startsWith("image/") && !type.startsWith("image/svg");
  }
}
