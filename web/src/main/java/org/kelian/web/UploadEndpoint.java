package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.kelian.core.auth.User;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.upload.Upload;
import org.kelian.core.upload.UploadService;

/**
 * tus 1.0 (core, creation, termination) at {@code /api/v1/uploads}. These routes come before the body handler:
 * a PATCH body streams into the upload service, paused until the caller is authenticated.
 */
final class UploadEndpoint {

  static final String TUS_VERSION = "1.0.0";

  private final UploadService uploads;
  private final AuthHandler auth;

  UploadEndpoint(UploadService uploads, AuthHandler auth) {
    this.uploads = uploads;
    this.auth = auth;
  }

  void routes(Router r) {
    r.options("/api/v1/uploads").handler(this::options);
    r.post("/api/v1/uploads").handler(ctx -> authed(ctx, this::create));
    r.head("/api/v1/uploads/:id").handler(ctx -> authed(ctx, this::head));
    r.patch("/api/v1/uploads/:id").handler(ctx -> authed(ctx, this::patch));
    r.delete("/api/v1/uploads/:id").handler(ctx -> authed(ctx, this::delete));
  }

  /** Pauses the body, authenticates, checks the tus version, then runs the handler. */
  private void authed(RoutingContext ctx, Function<RoutingContext, Future<Void>> handler) {
    ctx.request().pause();
    ctx.response().putHeader("Tus-Resumable", TUS_VERSION);
    Future<Void> f;
    try {
      f = auth.authenticate(ctx).compose(u -> {
        String v = ctx.request().getHeader("Tus-Resumable");
        if (!TUS_VERSION.equals(v)) {
          ctx.response().putHeader("Tus-Version", TUS_VERSION);
          throw new KelianException(ErrorKind.PRECONDITION_FAILED, "tus_version", "需要 Tus-Resumable: 1.0.0 请求头",
              "The Tus-Resumable: 1.0.0 header is required");
        }
        return handler.apply(ctx);
      });
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onFailure(t -> {
      if (!ctx.request().isEnded()) {
        ctx.request().resume();
      }
      ctx.fail(t);
    });
  }

  private void options(RoutingContext ctx) {
    ctx.response().setStatusCode(204).putHeader("Tus-Resumable", TUS_VERSION).putHeader("Tus-Version", TUS_VERSION)
        .putHeader("Tus-Extension", "creation,creation-defer-length,termination").putHeader("Tus-Max-Size", Long.toString(uploads.maxBytes())).end();
  }

  private Future<Void> create(RoutingContext ctx) {
    // creation-defer-length: a live recording does not know its size until the class ends
    boolean deferred = "1".equals(ctx.request().getHeader("Upload-Defer-Length")) && ctx.request().getHeader("Upload-Length") == null;
    long length = deferred ? Upload.DEFERRED : headerLong(ctx, "Upload-Length");
    Map<String, String> meta = metadata(ctx.request().getHeader("Upload-Metadata"));
    User user = Http.user(ctx);
    ctx.request().resume();
    return uploads.create(user, Validate.uuid(meta.get("resourceId"), "Upload-Metadata resourceId"), meta.get("filename"), length)
        .map(u -> {
          ctx.response().setStatusCode(201).putHeader("Location", "/api/v1/uploads/" + u.id())
              .putHeader("Upload-Offset", "0").end();
          return null;
        });
  }

  private Future<Void> head(RoutingContext ctx) {
    ctx.request().resume();
    return uploads.status(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")).map(u -> {
      offsetHeaders(ctx.response(), u).putHeader("Cache-Control", "no-store").setStatusCode(200).end();
      return null;
    });
  }

  private Future<Void> patch(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.startsWith("application/offset+octet-stream")) {
      throw new KelianException(ErrorKind.UNSUPPORTED_TYPE, "tus_content_type", "PATCH 的 Content-Type 必须是 application/offset+octet-stream",
          "PATCH needs Content-Type: application/offset+octet-stream");
    }
    long offset = headerLong(ctx, "Upload-Offset");
    Long declared = ctx.request().getHeader("Upload-Length") == null ? null : headerLong(ctx, "Upload-Length");
    return uploads.append(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id"), offset, ctx.request(), declared).map(u -> {
      offsetHeaders(ctx.response(), u).setStatusCode(204).end();
      return null;
    });
  }

  private Future<Void> delete(RoutingContext ctx) {
    ctx.request().resume();
    return uploads.terminate(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")).map(x -> {
      ctx.response().setStatusCode(204).end();
      return null;
    });
  }

  private static HttpServerResponse offsetHeaders(HttpServerResponse resp, Upload u) {
    resp.putHeader("Upload-Offset", Long.toString(u.offset()));
    return u.lengthKnown() ? resp.putHeader("Upload-Length", Long.toString(u.length())) : resp.putHeader("Upload-Defer-Length", "1");
  }

  private static long headerLong(RoutingContext ctx, String name) {
    String v = ctx.request().getHeader(name);
    try {
      long n = Long.parseLong(v == null ? "" : v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw KelianException.invalid("tus_header", "缺少或无效的请求头 " + name, "Missing or invalid header " + name);
  }

  /** {@code Upload-Metadata: key base64,key base64} (tus creation extension). */
  static Map<String, String> metadata(String header) {
    Map<String, String> out = new HashMap<>();
    if (header == null || header.isBlank()) {
      return out;
    }
    for (String pair : header.split(",")) {
      String[] kv = pair.strip().split(" ", 2);
      if (kv[0].isEmpty()) {
        continue;
      }
      try {
        out.put(kv[0], kv.length < 2 ? "" : new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw KelianException.invalid("tus_metadata", "Upload-Metadata 中的 " + kv[0] + " 不是有效的 Base64", "Upload-Metadata value of " + kv[0] + " is not valid Base64");
      }
    }
    return out;
  }
}
