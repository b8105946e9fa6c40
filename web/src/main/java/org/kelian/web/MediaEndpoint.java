package org.kelian.web;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.media.MediaService;
import org.kelian.core.media.MediaTypes;
import org.kelian.core.media.TranscodeJob;
import org.kelian.core.storage.ObjectStore;

/**
 * Video and recording playback: the media state (and its changes as server-sent events), the HLS files under the
 * viewer's authorization, playback positions, single-file downloads of a rendition, and the admins' job list.
 *
 * <p>HLS URLs carry the id of the job that made them, so everything under one is immutable: segments, posters and
 * thumbnails of published lessons may be kept by any cache (a CDN) for a year; playlists are revalidated often
 * and unpublished drafts stay private.
 */
final class MediaEndpoint {

  private final MediaService media;
  private final ObjectStore objects;
  private final ObjectRelay relay;

  MediaEndpoint(MediaService media, ObjectStore objects, ObjectRelay relay) {
    this.media = media;
    this.objects = objects;
    this.relay = relay;
  }

  void routes(Router r) {
    r.get("/api/v1/resources/:id/media").handler(ctx -> Http.json(ctx, 200,
        () -> media.state(Http.user(ctx), ResourceEndpoint.id(ctx)), s -> state(ResourceEndpoint.id(ctx), s, Lang.english(ctx))));
    r.get("/api/v1/resources/:id/media/events").handler(this::events);
    r.get("/api/v1/resources/:id/media/download").handler(this::download);
    // Files of a published job: the master playlist, poster at the top; renditions and thumbnails one folder down.
    r.get("/api/v1/resources/:id/hls/:jobId/:file").handler(ctx -> hls(ctx, ctx.pathParam("file")));
    r.get("/api/v1/resources/:id/hls/:jobId/:dir/:file").handler(ctx -> hls(ctx, ctx.pathParam("dir") + "/" + ctx.pathParam("file")));
    r.get("/api/v1/resources/:id/playback").handler(ctx -> Http.json(ctx, 200,
        () -> media.position(Http.user(ctx), ResourceEndpoint.id(ctx)), p -> new JsonObject().put("positionSeconds", p)));
    r.put("/api/v1/resources/:id/playback").handler(ctx -> Http.json(ctx, 200, () -> {
      Object v = Http.body(ctx).getValue("positionSeconds");
      if (!(v instanceof Number n)) {
        throw KelianException.invalid("field_type", "字段 positionSeconds 应为数字（秒）", "Field positionSeconds must be a number of seconds");
      }
      return media.savePosition(Http.user(ctx), ResourceEndpoint.id(ctx), n.doubleValue()).map(n.doubleValue());
    }, p -> new JsonObject().put("positionSeconds", p)));
    r.get("/api/v1/resources/:id/captions").handler(ctx -> Http.json(ctx, 200,
        () -> media.captions(Http.user(ctx), ResourceEndpoint.id(ctx)), list -> {
          JsonArray out = new JsonArray();
          list.forEach(t -> out.add(track(ResourceEndpoint.id(ctx), t)));
          return out;
        }));
    r.put("/api/v1/resources/:id/captions/:lang").handler(ctx -> Http.json(ctx, 200, () -> media.saveCaptions(Http.user(ctx),
        ResourceEndpoint.id(ctx), ctx.pathParam("lang"), ctx.queryParams().get("label"),
        ctx.body() == null ? null : ctx.body().asString("UTF-8")), t -> track(ResourceEndpoint.id(ctx), t)));
    r.get("/api/v1/resources/:id/captions/:lang").handler(ctx -> Http.handle(ctx,
        () -> media.captionVtt(Http.user(ctx), ResourceEndpoint.id(ctx), ctx.pathParam("lang")), vtt -> {
          ctx.response().putHeader("Content-Type", "text/vtt; charset=utf-8").putHeader("Cache-Control", "private, no-cache").end(vtt);
          return null;
        }));
    r.delete("/api/v1/resources/:id/captions/:lang").handler(ctx -> Http.handle(ctx,
        () -> media.deleteCaptions(Http.user(ctx), ResourceEndpoint.id(ctx), ctx.pathParam("lang")), x -> {
          ctx.response().setStatusCode(204).end();
          return null;
        }));
    r.get("/api/v1/transcode-jobs").handler(ctx -> {
      Paging p = Paging.of(ctx);
      boolean en = Lang.english(ctx);
      Http.json(ctx, 200, () -> media.jobs(Http.user(ctx), ctx.queryParams().get("status"), p.size(), p.offset()), page -> {
        JsonArray items = new JsonArray();
        page.items().forEach(j -> items.add(j.toJson(!en)));
        return p.toJson(items, page.total());
      });
    });
    r.post("/api/v1/transcode-jobs/:jobId/cancel").handler(ctx -> Http.json(ctx, 200,
        () -> media.cancel(Http.user(ctx), jobId(ctx)), j -> j.toJson(!Lang.english(ctx))));
    r.post("/api/v1/transcode-jobs/:jobId/retry").handler(ctx -> Http.json(ctx, 200,
        () -> media.retry(Http.user(ctx), jobId(ctx)), j -> j.toJson(!Lang.english(ctx))));
  }

  private static JsonObject track(UUID resourceId, org.kelian.core.media.CaptionStore.Track t) {
    return new JsonObject().put("lang", t.lang()).put("label", t.label()).put("cues", t.cues())
        .put("url", "/api/v1/resources/" + resourceId + "/captions/" + t.lang());
  }

  static JsonObject state(UUID resourceId, MediaService.MediaState s, boolean english) {
    JsonObject j = new JsonObject().put("status", s.status()).put("progress", Math.round(s.progress() * 1000) / 10.0);
    TranscodeJob job = s.job();
    if (job != null) {
      j.put("jobId", job.id().toString());
      if (job.errorCode() != null && !"succeeded".equals(job.status().wire())) {
        j.put("error", new JsonObject().put("code", job.errorCode()).put("message", english ? job.errorEn() : job.errorZh()));
      }
    }
    s.media().ifPresent(m -> {
      String base = "/api/v1/resources/" + resourceId + "/hls/" + m.jobId() + "/";
      JsonArray renditions = new JsonArray();
      m.renditions().forEach(r -> renditions.add(new JsonObject().put("height", r.height()).put("width", r.width())
          .put("label", r.label()).put("bandwidth", r.bandwidth()).put("codecs", r.codecs())));
      j.put("hls", base + "master.m3u8").put("renditions", renditions).put("durationSeconds", m.durationSeconds())
          .put("audioOnly", m.audioOnly());
      if (m.poster() != null) {
        j.put("poster", base + m.poster());
      }
      if (m.thumbnails() != null) {
        j.put("thumbnails", base + m.thumbnails());
      }
    });
    return j;
  }

  private void hls(RoutingContext ctx, String path) {
    boolean playlist = path != null && path.endsWith(".m3u8");
    boolean segment = path != null && (path.endsWith(".ts") || path.endsWith(".m4s"));
    Http.attempt(() -> media.hlsObject(Http.user(ctx), ResourceEndpoint.id(ctx), jobId(ctx), path)).onSuccess(file -> {
      if (segment && media.options().hlsRedirect()) {
        objects.presignedGet(file.objectKey(), Duration.ofMinutes(10)).onSuccess(url -> ctx.response().setStatusCode(302)
            .putHeader("Location", url).putHeader("Cache-Control", "private, max-age=300").end()).onFailure(ctx::fail);
        return;
      }
      String cache = playlist ? "private, max-age=60" : (file.shared() ? "public" : "private") + ", max-age=31536000, immutable";
      relay.serveImmutable(ctx, file.objectKey(), new ObjectRelay.Reply(MediaTypes.of(path), null, cache));
    }).onFailure(ctx::fail);
  }

  private void download(RoutingContext ctx) {
    Http.attempt(() -> {
      int label = Validate.intInRange(ctx.queryParams().get("quality"), "quality", 0, 1, 4320);
      if (label == 0) {
        throw KelianException.invalid("quality_required", "请用 quality 指定清晰度（如 360）", "Give the quality, e.g. quality=360");
      }
      return media.rendition(Http.user(ctx), ResourceEndpoint.id(ctx), label);
    }).onSuccess(d -> relay.serve(ctx, d.objectKey(), new ObjectRelay.Reply("video/mp4", ContentDisposition.of(false, d.fileName()),
        "private, max-age=300"), status -> {
    })).onFailure(ctx::fail);
  }

  /** Server-sent events: the media state now and after every change, until the page goes away. */
  private void events(RoutingContext ctx) {
    boolean en = Lang.english(ctx);
    Http.attempt(() -> {
      UUID id = ResourceEndpoint.id(ctx);
      return media.state(Http.user(ctx), id).map(s -> id);
    }).onSuccess(id -> {
      User user = Http.user(ctx);
      var resp = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
      AtomicBoolean sending = new AtomicBoolean();
      AtomicBoolean again = new AtomicBoolean();
      Runnable[] send = new Runnable[1];
      send[0] = () -> {
        if (!sending.compareAndSet(false, true)) {
          again.set(true); // a change during a send: send once more after it
          return;
        }
        media.state(user, id).onComplete(ar -> {
          if (ar.succeeded() && !resp.closed()) {
            resp.write("event: media\ndata: " + state(id, ar.result(), en).encode() + "\n\n");
          }
          sending.set(false);
          if (again.getAndSet(false)) {
            send[0].run();
          }
        });
      };
      MessageConsumer<Object> consumer = media.events().watch(id, v -> send[0].run());
      long ping = ctx.vertx().setPeriodic(15_000, t -> {
        if (!resp.closed()) {
          resp.write(": ping\n\n");
        }
      });
      resp.closeHandler(v -> {
        consumer.unregister();
        ctx.vertx().cancelTimer(ping);
      });
      send[0].run();
    }).onFailure(ctx::fail);
  }

  private static UUID jobId(RoutingContext ctx) {
    return Validate.uuid(ctx.pathParam("jobId"), "jobId");
  }
}
