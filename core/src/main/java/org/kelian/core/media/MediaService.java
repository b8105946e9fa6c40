package org.kelian.core.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.resource.Resource;
import org.kelian.core.resource.ResourceService;
import org.kelian.core.resource.ResourceType;
import org.kelian.core.storage.ObjectStore;

/**
 * The media of video and recording resources: queuing their transcodes, their state as a page shows it, access
 * to the published HLS, playback positions, single-file downloads of a rendition, and the admins' job list.
 */
public final class MediaService {

  /** Paths inside a published prefix: folders and file names of our own making, never "..". */
  private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.(m3u8|ts|m4s|jpg|vtt)");

  private final Vertx vertx;
  private final TranscodeStore store;
  private final ResourceService resources;
  private final ObjectStore objects;
  private final Transcoder transcoder;
  private final TranscodeOptions options;
  private final TranscodeWorker worker;
  private final MediaEvents events;
  private final CaptionStore captions;
  private final java.util.function.Supplier<Future<Void>> onSearchChange;
  private final Map<String, Future<String>> remuxing = new ConcurrentHashMap<>();
  /** Recent HLS access decisions; a change of rights or media takes effect within {@link #GRANT_NANOS}. */
  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private static final long GRANT_NANOS = 30_000_000_000L;
  private static final int MAX_GRANTS = 50_000;

  public MediaService(Vertx vertx, TranscodeStore store, ResourceService resources, ObjectStore objects, Transcoder transcoder,
                      TranscodeOptions options, TranscodeWorker worker, MediaEvents events, CaptionStore captions,
                      java.util.function.Supplier<Future<Void>> onSearchChange) {
    this.vertx = vertx;
    this.captions = captions;
    this.onSearchChange = onSearchChange;
    this.store = store;
    this.resources = resources;
    this.objects = objects;
    this.transcoder = transcoder;
    this.options = options;
    this.worker = worker;
    this.events = events;
  }

  public static boolean isMedia(ResourceType type) {
    return type == ResourceType.VIDEO || type == ResourceType.RECORDING;
  }

  public MediaEvents events() {
    return events;
  }

  public TranscodeOptions options() {
    return options;
  }

  /** A file was attached to a resource: queue its transcode when it is a video or recording. */
  public Future<Void> fileAttached(UUID resourceId) {
    return store.enqueue(resourceId).map(n -> {
      if (n > 0) {
        worker.kick();
      }
      events.changed(resourceId);
      return null;
    });
  }

  /** Queues jobs for video files that have none (an upload whose completion was cut short); run at start. */
  public Future<Integer> enqueueMissing() {
    return store.enqueue(null).onSuccess(n -> {
      if (n > 0) {
        worker.kick();
      }
    });
  }

  /** The state of a resource's media as its page shows it. */
  public Future<MediaState> state(User actor, UUID resourceId) {
    return mediaResource(actor, resourceId).compose(res -> store.current(resourceId).compose(job -> store.media(resourceId)
        .map(media -> MediaState.of(job, media))));
  }

  /**
   * A published HLS file (playlist, segment, poster, thumbnails) for a viewer who may see the resource; {@code shared}
   * when the resource is published, so that caches may keep it. Rights and a replaced transcode are re-read at most
   * 30 s after they change.
   */
  public Future<HlsFile> hlsObject(User actor, UUID resourceId, UUID jobId, String path) {
    if (path == null || !SAFE_PATH.matcher(path).matches() || path.contains("..")) {
      return Future.failedFuture(notFound());
    }
    // A player fetches a segment every few seconds: the decision for this viewer, resource and job is kept briefly
    // instead of reading the resource and its media for every segment.
    String key = actor.id() + "/" + resourceId + "/" + jobId;
    Grant grant = grants.get(key);
    if (grant != null && grant.until() > System.nanoTime()) {
      return Future.succeededFuture(new HlsFile(grant.prefix() + path, grant.shared()));
    }
    return mediaResource(actor, resourceId).compose(res -> store.media(resourceId).map(found -> {
      TranscodeStore.Published media = found.orElseThrow(MediaService::notReady);
      if (!media.jobId().equals(jobId)) {
        throw new KelianException(org.kelian.core.error.ErrorKind.GONE, "media_replaced", "该视频已重新转码，请刷新页面",
            "This video was transcoded again; reload the page");
      }
      boolean shared = res.status() == org.kelian.core.resource.ResourceStatus.PUBLISHED;
      if (grants.size() > MAX_GRANTS) {
        grants.clear();
      }
      grants.put(key, new Grant(media.prefix(), shared, System.nanoTime() + GRANT_NANOS));
      return new HlsFile(media.prefix() + path, shared);
    }));
  }

  private record Grant(String prefix, boolean shared, long until) {
  }

  public record HlsFile(String objectKey, boolean shared) {
  }

  public Future<Double> position(User actor, UUID resourceId) {
    return mediaResource(actor, resourceId).compose(r -> store.position(actor.id(), resourceId)).map(p -> p.orElse(0.0));
  }

  public Future<Void> savePosition(User actor, UUID resourceId, double seconds) {
    if (!(seconds >= 0) || seconds > 48 * 3600) {
      return Future.failedFuture(KelianException.invalid("invalid_position", "播放位置无效", "The playback position is not valid"));
    }
    return mediaResource(actor, resourceId).compose(r -> store.savePosition(actor.id(), resourceId, seconds));
  }

  /**
   * One rendition as a single MP4 file for classrooms that download before class: remuxed (not re-encoded) from
   * its segments the first time someone asks, and kept beside them. Answers the object key and the file name.
   */
  public Future<Download> rendition(User actor, UUID resourceId, int label) {
    return mediaResource(actor, resourceId).compose(res -> store.media(resourceId).map(m -> m.orElseThrow(MediaService::notReady))
        .compose(media -> {
          Transcoder.Rendition r = media.renditions().stream().filter(x -> x.label() == label && x.height() > 0).findFirst()
              .orElseThrow(() -> KelianException.notFound("no_such_rendition", "没有这个清晰度：" + label + "p",
                  "There is no " + label + "p rendition"));
          String key = media.prefix() + "mp4/" + label + "p.mp4";
          Download d = new Download(key, res.title() + "-" + label + "p.mp4");
          return objects.stat(key).compose(found -> found.isPresent() ? Future.succeededFuture(d)
              : remuxing.computeIfAbsent(key, k -> remux(media, r, k).onComplete(x -> remuxing.remove(k))).map(d));
        }));
  }

  private Future<String> remux(TranscodeStore.Published media, Transcoder.Rendition r, String key) {
    Path dir;
    try {
      dir = Files.createDirectories(options.workDir().resolve("remux-" + UUID.randomUUID()));
    } catch (java.io.IOException e) {
      return Future.failedFuture(e);
    }
    String folder = r.playlist().contains("/") ? r.playlist().substring(0, r.playlist().lastIndexOf('/') + 1) : "";
    Path playlist = dir.resolve("index.m3u8");
    Path mp4 = dir.resolve("out.mp4");
    return objects.download(media.prefix() + r.playlist(), playlist)
        .compose(x -> vertx.executeBlocking(() -> segments(playlist), false))
        .compose(names -> {
          Future<Void> chain = Future.succeededFuture();
          for (String n : names) {
            chain = chain.compose(y -> objects.download(media.prefix() + folder + n, dir.resolve(n)));
          }
          return chain;
        })
        .compose(x -> vertx.executeBlocking(() -> {
          transcoder.remuxToMp4(playlist, mp4);
          return null;
        }, false))
        .compose(x -> objects.putFile(key, mp4, "video/mp4"))
        .map(key)
        .eventually(() -> vertx.executeBlocking(() -> {
          TranscodeWorker.deleteTree(dir);
          return null;
        }, false));
  }

  private static List<String> segments(Path playlist) throws java.io.IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(playlist)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        if (!l.matches("[A-Za-z0-9_.-]+") || l.contains("..")) {
          throw new java.io.IOException("unexpected segment name in playlist: " + l);
        }
        out.add(l);
      }
    }
    return out;
  }

  public record JobPage(List<TranscodeJob> items, long total) {
  }

  private static final Pattern LANG = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");

  /**
   * Adds or replaces the caption track of one language from a WebVTT or SRT file; the resource's owner and its
   * reviewers may, at any status (captions are often made after a lesson is published).
   */
  public Future<CaptionStore.Track> saveCaptions(User actor, UUID resourceId, String lang, String rawLabel, String file) {
    String l = language(lang);
    String label = rawLabel == null || rawLabel.isBlank() ? defaultLabel(l) : org.kelian.core.error.Validate.text(rawLabel, "label", 40);
    List<Captions.Cue> cues = Captions.parse(file);
    return captionEditor(actor, resourceId).compose(r -> captions.save(resourceId, l, label, cues))
        .compose(x -> onSearchChange.get().recover(t -> Future.succeededFuture())) // the outbox has it; flush is a courtesy
        .map(x -> new CaptionStore.Track(l, label, cues.size()));
  }

  public Future<List<CaptionStore.Track>> captions(User actor, UUID resourceId) {
    return mediaResource(actor, resourceId).compose(r -> captions.list(resourceId));
  }

  /** One track as WebVTT. */
  public Future<String> captionVtt(User actor, UUID resourceId, String lang) {
    String l = language(lang);
    return mediaResource(actor, resourceId).compose(r -> captions.cues(resourceId, l))
        .map(found -> Captions.toVtt(found.orElseThrow(MediaService::noCaptions)));
  }

  public Future<Void> deleteCaptions(User actor, UUID resourceId, String lang) {
    String l = language(lang);
    return captionEditor(actor, resourceId).compose(r -> captions.delete(resourceId, l)).compose(deleted -> {
      if (!deleted) {
        throw noCaptions();
      }
      return onSearchChange.get().recover(t -> Future.succeededFuture());
    });
  }

  private Future<Resource> captionEditor(User actor, UUID resourceId) {
    return mediaResource(actor, resourceId).map(r -> {
      if (!r.ownerId().equals(actor.id()) && !actor.isAdmin()) {
        throw KelianException.forbidden();
      }
      return r;
    });
  }

  private static String language(String lang) {
    if (lang == null || !LANG.matcher(lang).matches()) {
      throw KelianException.invalid("invalid_language", "语言代码无效（例如 zh、en、zh-Hans）", "Invalid language code (e.g. zh, en, zh-Hans)");
    }
    return lang;
  }

  private static String defaultLabel(String lang) {
    return lang.startsWith("zh") ? "中文" : lang.startsWith("en") ? "English" : lang;
  }

  private static KelianException noCaptions() {
    return KelianException.notFound("captions_not_found", "没有这种语言的字幕", "There are no captions in this language");
  }

  public Future<JobPage> jobs(User actor, String status, int limit, int offset) {
    requireAdmin(actor);
    TranscodeJob.Status s = null;
    if (status != null && !status.isBlank()) {
      try {
        s = TranscodeJob.Status.parse(status);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(KelianException.invalid("unknown_status", "未知状态：" + status + "（可选 queued、running、succeeded、failed、cancelled）",
            "Unknown status: " + status + " (one of queued, running, succeeded, failed, cancelled)"));
      }
    }
    TranscodeJob.Status filter = s;
    UUID school = actor.has(Role.DISTRICT_ADMIN) ? null : actor.schoolId();
    return store.list(filter, school, limit, offset).compose(items -> store.count(filter, school).map(n -> new JobPage(items, n)));
  }

  public Future<TranscodeJob> cancel(User actor, UUID jobId) {
    return adminJob(actor, jobId).compose(job -> {
      if (job.status() != TranscodeJob.Status.QUEUED && job.status() != TranscodeJob.Status.RUNNING) {
        throw KelianException.conflict("job_finished", "该任务已结束，不能取消", "This job has already ended; it cannot be cancelled");
      }
      return store.cancel(jobId).map(found -> {
        events.changed(job.resourceId());
        return found.orElseThrow(MediaService::jobNotFound);
      });
    });
  }

  public Future<TranscodeJob> retry(User actor, UUID jobId) {
    return adminJob(actor, jobId).compose(job -> store.retry(jobId).compose(ok -> {
      if (!ok) {
        throw KelianException.conflict("job_not_retryable", "只能重试失败或已取消的任务，且资源文件未被替换",
            "Only a failed or cancelled job whose file was not replaced can be retried");
      }
      worker.kick();
      events.changed(job.resourceId());
      return store.find(jobId).map(f -> f.orElseThrow(MediaService::jobNotFound));
    }));
  }

  private Future<TranscodeJob> adminJob(User actor, UUID jobId) {
    requireAdmin(actor);
    return store.find(jobId).compose(found -> {
      TranscodeJob job = found.orElseThrow(MediaService::jobNotFound);
      // School admins manage the jobs of resources they may see, that is, their school's.
      return resources.visible(actor, job.resourceId()).recover(t -> Future.failedFuture(jobNotFound())).map(job);
    });
  }

  private static void requireAdmin(User actor) {
    if (!actor.isAdmin()) {
      throw KelianException.forbidden();
    }
  }

  private Future<Resource> mediaResource(User actor, UUID resourceId) {
    return resources.visible(actor, resourceId).map(r -> {
      if (!isMedia(r.type())) {
        throw KelianException.notFound("not_media_resource", "该资源不是视频或课堂实录", "This resource is not a video or recording");
      }
      return r;
    });
  }

  private static KelianException notReady() {
    return KelianException.notFound("media_not_ready", "视频还在处理中，暂时不能播放", "The video is still being processed");
  }

  private static KelianException notFound() {
    return KelianException.notFound("media_file_not_found", "找不到该媒体文件", "Media file not found");
  }

  private static KelianException jobNotFound() {
    return KelianException.notFound("job_not_found", "转码任务不存在", "Transcode job not found");
  }

  public record Download(String objectKey, String fileName) {
  }

  /** A resource's media as a page shows it. */
  public record MediaState(String status, double progress, TranscodeJob job, Optional<TranscodeStore.Published> media) {

    static MediaState of(Optional<TranscodeJob> job, Optional<TranscodeStore.Published> media) {
      if (job.isEmpty()) {
        return new MediaState("pending", 0, null, Optional.empty());
      }
      TranscodeJob j = job.get();
      Optional<TranscodeStore.Published> current = media.filter(m -> m.jobId().equals(j.id()));
      return switch (j.status()) {
        case QUEUED -> new MediaState("pending", 0, j, Optional.empty());
        case RUNNING -> new MediaState("processing", j.progress(), j, Optional.empty());
        case SUCCEEDED -> current.isPresent() ? new MediaState("ready", 1, j, current) : new MediaState("processing", 1, j, Optional.empty());
        case FAILED, CANCELLED -> new MediaState("failed", j.progress(), j, Optional.empty());
      };
    }
  }
}
