package org.kelian.core.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.kelian.core.error.KelianException;
import org.kelian.core.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs transcode jobs from the PostgreSQL queue. Each slot is a plain thread (transcoding is blocking work that
 * lasts minutes: a subprocess and its pipes), which waits on the Vert.x clients' futures; callbacks of those
 * clients run on event loops, so a busy slot never holds up anything else.
 *
 * <p>A running job beats every {@link #BEAT_SECONDS} seconds with its progress. A job whose beats stop (the node
 * died) goes back to the queue ahead of the others; a beat that finds the job cancelled stops the encoder.
 */
public final class TranscodeWorker {

  private static final Logger LOG = LoggerFactory.getLogger(TranscodeWorker.class);
  static final long BEAT_SECONDS = 2;
  static final long STALE_SECONDS = 30;
  private static final int UPLOAD_LANES = 6;

  private final Vertx vertx;
  private final TranscodeStore store;
  private final ObjectStore objects;
  private final Transcoder transcoder;
  private final TranscodeOptions options;
  private final MediaEvents events;
  private final String workerId;
  private final Semaphore wake = new Semaphore(0);
  private final AtomicInteger busy = new AtomicInteger();
  private volatile boolean running;
  private ExecutorService slots;
  private long sweepTimer = -1;

  public TranscodeWorker(Vertx vertx, TranscodeStore store, ObjectStore objects, Transcoder transcoder, TranscodeOptions options,
                         MediaEvents events) {
    this.vertx = vertx;
    this.store = store;
    this.objects = objects;
    this.transcoder = transcoder;
    this.options = options;
    this.events = events;
    this.workerId = host() + "/" + UUID.randomUUID();
  }

  /**
   * Takes back the jobs of dead workers (beats stopped), then starts the configured number of slots, so that those
   * jobs run before the rest of the queue; the sweep then repeats every few seconds.
   */
  public Future<Void> start() {
    running = true;
    // Leftovers of a previous run of this node (their jobs are re-queued and start over); file I/O, off the event loop.
    return vertx.executeBlocking(() -> {
      deleteTree(options.workDir());
      return null;
    }, false).compose(x -> sweep()).map(x -> {
      sweepTimer = vertx.setPeriodic(BEAT_SECONDS * 1000, id -> sweep());
      if (options.concurrency() > 0) {
        AtomicInteger n = new AtomicInteger();
        slots = Executors.newFixedThreadPool(options.concurrency(), r -> {
          Thread t = new Thread(r, "kelian-transcode-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
        for (int i = 0; i < options.concurrency(); i++) {
          slots.execute(this::loop);
        }
      }
      return null;
    });
  }

  private Future<Void> sweep() {
    return store.requeueStale(STALE_SECONDS)
        .map(n -> {
          if (n > 0) {
            LOG.info("re-queued {} transcode job(s) left running by a stopped worker", n);
            kick();
          }
          return (Void) null;
        })
        .recover(t -> {
          LOG.debug("re-queueing stale transcode jobs: {}", t.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Stops taking jobs and stops running encoders; their jobs are taken back by the next node that starts. */
  public void stop() {
    running = false;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (slots != null) {
      wake.release(options.concurrency());
      slots.shutdown();
      try {
        slots.awaitTermination(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A job was queued: wakes an idle slot now instead of at its next poll. */
  public void kick() {
    if (wake.availablePermits() < options.concurrency()) {
      wake.release();
    }
  }

  public int busySlots() {
    return busy.get();
  }

  /** Shown in {@code /health}, not required: the library serves while video processing waits for a fix. */
  public org.kelian.core.health.HealthCheck health() {
    return new org.kelian.core.health.HealthCheck() {
      @Override
      public String name() {
        return "transcoder";
      }

      @Override
      public Future<Void> check() {
        return vertx.executeBlocking(() -> {
          String why = transcoder.unavailableReason();
          if (why != null) {
            throw new IllegalStateException(why);
          }
          return null;
        }, false);
      }

      @Override
      public boolean required() {
        return false;
      }
    };
  }

  private void loop() {
    boolean warned = false;
    while (running) {
      String why = transcoder.unavailableReason();
      if (why != null) {
        if (!warned) {
          LOG.error("transcoding is paused, jobs stay queued: {}", why);
          warned = true;
        }
        pause(10);
        continue;
      }
      Optional<TranscodeJob> job;
      try {
        job = await(store.claim(workerId));
      } catch (Exception e) {
        LOG.debug("claiming a transcode job: {}", e.getMessage());
        job = Optional.empty();
      }
      if (job.isEmpty()) {
        pause(2);
        continue;
      }
      busy.incrementAndGet();
      try {
        run(job.get());
      } finally {
        busy.decrementAndGet();
      }
    }
  }

  private void pause(int seconds) {
    try {
      wake.tryAcquire(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void run(TranscodeJob job) {
    Path dir = options.workDir().resolve(job.id().toString());
    String prefix = "media/" + job.resourceId() + "/" + job.id() + "/";
    Beat beat = new Beat(job);
    LOG.info("transcoding {} (job {}, attempt {})", job.sourceKey(), job.id(), job.attempts());
    try {
      deleteTree(dir);
      Files.createDirectories(dir.resolve("out"));
      Path source = dir.resolve("source");
      await(objects.download(job.sourceKey(), source));
      beat.check(0.02);
      MediaInfo info = transcoder.probe(source);
      options.check(info);
      List<Rung> ladder = info.video() == null ? List.of() : Ladder.plan(info.video());
      Transcoder.Output out = transcoder.transcode(source, info, ladder, dir.resolve("out"), f -> beat.offer(0.03 + 0.87 * f));
      beat.check(0.9);
      uploadTree(dir.resolve("out"), prefix, beat);
      beat.check(0.99);
      Optional<String> previous = await(store.publish(job.id(), workerId, new TranscodeStore.Published(job.resourceId(), job.id(),
          prefix, info.durationSeconds(), info.audioOnly(), out.renditions(), out.poster(), out.thumbnails())));
      LOG.info("published HLS of resource {} (job {}, {} renditions)", job.resourceId(), job.id(), out.renditions().size());
      previous.ifPresent(p -> objects.deletePrefix(p).onFailure(t -> LOG.warn("deleting replaced outputs {}: {}", p, t.getMessage())));
    } catch (CancellationException e) {
      LOG.info("transcode job {} stopped: {}", job.id(), e.getMessage());
      if (!running) {
        settle(store.release(job.id(), workerId)); // this node is stopping: the next one starts the job first
      }
      objects.deletePrefix(prefix).onFailure(t -> LOG.debug("deleting outputs of stopped job: {}", t.getMessage()));
    } catch (MediaRejected e) {
      LOG.info("transcode job {} failed: {}", job.id(), e.messageEn());
      settle(store.fail(job.id(), workerId, e.code(), e.messageZh(), e.messageEn()));
      objects.deletePrefix(prefix).onFailure(t -> LOG.debug("deleting outputs of failed job: {}", t.getMessage()));
    } catch (Exception e) {
      transient_(job, e);
      objects.deletePrefix(prefix).onFailure(t -> LOG.debug("deleting outputs of failed attempt: {}", t.getMessage()));
    } finally {
      beat.stop();
      deleteTree(dir);
      events.changed(job.resourceId());
    }
  }

  /** A failure of the machine (object store away, disk full, encoder crash): tried again later, then given up. */
  private void transient_(TranscodeJob job, Exception e) {
    String zh = e instanceof KelianException k ? k.messageZh() : "转码时发生系统错误";
    String en = e instanceof KelianException k ? k.messageEn() : "A system error stopped the transcode: " + e.getMessage();
    if (job.attempts() >= options.maxAttempts()) {
      LOG.warn("transcode job {} failed after {} attempts", job.id(), job.attempts(), e);
      settle(store.fail(job.id(), workerId, "transcode_error", zh + "，已重试 " + job.attempts() + " 次；请联系管理员重试",
          en + "; tried " + job.attempts() + " times, ask an administrator to retry"));
      return;
    }
    long wait = options.retryBackoff().toSeconds() << Math.min(10, job.attempts() - 1);
    LOG.warn("transcode job {} attempt {} failed, retrying in {} s: {}", job.id(), job.attempts(), wait, e.toString());
    settle(store.retryLater(job.id(), workerId, OffsetDateTime.now().plusSeconds(wait), "retrying", zh + "，稍后自动重试",
        en + "; retrying shortly"));
  }

  private void uploadTree(Path root, String prefix, Beat beat) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
    }
    // A few uploads at a time, each lane sequential: the store is kept busy without opening a connection per file.
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < UPLOAD_LANES; lane++) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = lane; i < files.size(); i += UPLOAD_LANES) {
        Path f = files.get(i);
        String key = prefix + root.relativize(f).toString().replace('\\', '/');
        chain = chain.compose(x -> beat.cancelled() ? Future.failedFuture(new CancellationException("cancelled while publishing"))
            : objects.putFile(key, f, MediaTypes.of(key)));
      }
      lanes.add(chain);
    }
    await(Future.all(lanes));
  }

  /** Progress and liveness of one running job; finds out when the job was cancelled or taken away. */
  private final class Beat {
    private final TranscodeJob job;
    private volatile double progress;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final long timer;

    Beat(TranscodeJob job) {
      this.job = job;
      this.timer = vertx.setPeriodic(BEAT_SECONDS * 1000, id -> beat());
    }

    private void beat() {
      store.heartbeat(job.id(), workerId, progress).onSuccess(mine -> {
        if (!mine) {
          lost.set(true);
        }
        events.changed(job.resourceId());
      }).onFailure(t -> LOG.debug("transcode heartbeat: {}", t.getMessage()));
    }

    /** From the encoder's progress: answers false to stop it. */
    boolean offer(double p) {
      progress = p;
      return !cancelled();
    }

    void check(double p) {
      progress = p;
      if (cancelled()) {
        throw new CancellationException(running ? "the job was cancelled or taken over" : "the worker is stopping");
      }
    }

    boolean cancelled() {
      return lost.get() || !running;
    }

    void stop() {
      vertx.cancelTimer(timer);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    } catch (TimeoutException e) {
      throw new IOException("a storage call did not answer within 10 minutes", e);
    }
  }

  private static void settle(Future<Void> f) {
    try {
      await(f);
    } catch (Exception e) {
      // The job stays running without beats and is taken back by the sweep: nothing is lost.
      LOG.warn("recording the end of a transcode job: {}", e.getMessage());
    }
  }

  static void deleteTree(Path dir) {
    try {
      org.kelian.core.Dirs.deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cleaning {}: {}", dir, e.getMessage());
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "node";
    }
  }
}
