package org.kelian.bench;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.http.Method;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * HLS segments of a transcoded lesson fetched by {@code clients} concurrent clients through the platform, with the
 * viewer's Bearer token, and straight from the object store through presigned URLs, in one run: both sides warmed
 * up, then measured in alternating slices ({@link #SLICES} per side, {@code seconds} in all per side). Both sides
 * walk the same shuffled list of every segment of every rung. Two loads: a closed loop (each client fetches the next
 * segment as soon as it has the last one whole: throughput, and latency at saturation) and players in steady state
 * (each client one segment per segment duration: latency at the load that many viewers make); each with and without
 * the Accept-Encoding header a browser adds to hls.js's requests.
 */
public final class ServingBench {

  static final int SOURCE_SECONDS = 180;
  static final int WARM_UP_SECONDS = 10;
  static final int SLICES = 3;
  static final int SEGMENT_SECONDS = 6; // the transcoder's HLS segment length
  static final String BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"; // Chromium's
  static final int MAX_FETCHES_PER_CLIENT = 20_000; // per load() call: far above what one client fetches in a slice

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    String mode = args.length > 2 ? args[2] : "cache";
    if (!List.of("cache", "relay", "redirect").contains(mode)) {
      throw new IllegalArgumentException("the third argument is cache (default), relay or redirect, got " + mode);
    }
    // Exit explicitly (client threads and the platform's would keep the JVM alive), and not with 0 after a failure.
    try {
      run(clients, seconds, mode);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /**
   * {@code mode} {@code cache} (the default configuration): the platform sends segments from its disk cache, filled
   * from the store on the first request of each (during the warm-up); {@code relay}: no cache
   * ({@code KELIAN_HLS_CACHE_MB=0}), every segment streamed from the store through the platform; {@code redirect}: the
   * platform runs with {@code KELIAN_HLS_REDIRECT=true} and answers each segment with a 302 to a presigned URL, which
   * the client then fetches from the store (as a browser follows it, without the platform's Authorization header); a
   * request's latency is both steps.
   */
  static void run(int clients, int seconds, String mode) throws Exception {
    boolean redirect = mode.equals("redirect");
    System.out.println(Bench.header("HLS serving benchmark, " + clients + " clients, " + seconds + " s per side, " + switch (mode) {
      case "redirect" -> "segments redirected to the store (KELIAN_HLS_REDIRECT=true)";
      case "relay" -> "segments relayed from the store (KELIAN_HLS_CACHE_MB=0)";
      default -> "segments from the platform's disk cache (default configuration)";
    }));
    System.out.println("load average at start: " + TranscodeBench.loadavg());
    Path source = TranscodeBench.classroomSource(SOURCE_SECONDS);
    try (TranscodeBench.Lab lab = TranscodeBench.Lab.start("benchserving", switch (mode) {
      case "redirect" -> Map.of("KELIAN_HLS_REDIRECT", "true", "KELIAN_HLS_CACHE_MB", "0");
      case "relay" -> Map.of("KELIAN_HLS_CACHE_MB", "0");
      default -> Map.<String, String>of();
    })) {
      TranscodeBench.Lab.Run lesson = lab.transcode(source, Duration.ofMinutes(30));
      List<Segment> segments = segments(lab, lesson);
      long total = segments.stream().mapToLong(Segment::bytes).sum();
      System.out.printf("%d segments over %d rungs, mean %.0f KiB (%.0f KiB at the top rung, %.0f KiB at the bottom)%n", segments.size(),
          lesson.media().getJsonArray("renditions").size(), total / 1024.0 / segments.size(), meanKiB(segments, true), meanKiB(segments, false));
      Collections.shuffle(segments, new Random(7));

      String base = "http://127.0.0.1:" + lab.platform.port() + "/api/v1/resources/" + lesson.resourceId() + "/hls/" + lesson.jobId() + "/";
      // Presigned once, up front: the direct side is the store's serving alone, as a CDN or player would see it.
      List<URI> platformUris = new ArrayList<>();
      List<URI> storeUris = new ArrayList<>();
      for (Segment s : segments) {
        platformUris.add(URI.create(base + s.path()));
        storeUris.add(URI.create(lab.s3.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
            .bucket(lab.bucket).object(s.key()).expiry(2, TimeUnit.HOURS).build())));
      }
      // One client per side, so that neither reuses the other's connections; HTTP/1.1 as a player fetches segments.
      HttpClient platformHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpClient storeHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      // Two kinds of client: the JDK's, which asks for no encoding, and a browser running hls.js (the player page),
      // whose requests always carry the browser's Accept-Encoding (scripts cannot change it).
      String[] kinds = {"no Accept-Encoding", "Accept-Encoding: " + BROWSER_ACCEPT_ENCODING + " (hls.js in a browser)"};
      Side[][] sides = new Side[2][];
      for (int k = 0; k < 2; k++) {
        boolean browser = k == 1;
        sides[k] = new Side[] {new Side(platformHttp, requests(platformUris, browser, "Authorization", "Bearer " + lab.token), redirect),
            new Side(storeHttp, requests(storeUris, browser), false)};
      }
      for (int k = 0; k < 2; k++) {
        // Warm-up (the platform's path through the JIT, connections opened on both sides), not reported.
        sides[k][0].load(clients, WARM_UP_SECONDS, 0);
        sides[k][1].load(clients, WARM_UP_SECONDS, 0);
        compare("as fast as they can, " + kinds[k], sides[k][0], sides[k][1], clients, seconds, 0);
      }
      // The same clients as players in steady state: one segment per segment duration each, from random offsets.
      for (int k = 0; k < 2; k++) {
        compare("at playback pace (one segment per " + SEGMENT_SECONDS + " s each), " + kinds[k], sides[k][0], sides[k][1], clients,
            seconds, SEGMENT_SECONDS * 1_000_000_000L);
      }
      System.out.println("load average at end: " + TranscodeBench.loadavg());
    }
  }

  /** Both sides in alternating slices, so that whatever else the shared machine runs meanwhile weighs on both alike. */
  static void compare(String what, Side platform, Side store, int clients, int seconds, long paceNanos) throws InterruptedException {
    List<Result> platformSlices = new ArrayList<>();
    List<Result> storeSlices = new ArrayList<>();
    int slice = Math.max(1, seconds / SLICES);
    double[] platformCpu = new double[CPU_PARTS.length];
    double[] storeCpu = new double[CPU_PARTS.length];
    for (int i = 0; i < SLICES; i++) {
      double[] c0 = cpu();
      platformSlices.add(platform.load(clients, slice, paceNanos));
      double[] c1 = cpu();
      storeSlices.add(store.load(clients, slice, paceNanos));
      double[] c2 = cpu();
      for (int k = 0; k < CPU_PARTS.length; k++) {
        platformCpu[k] += c1[k] - c0[k];
        storeCpu[k] += c2[k] - c1[k];
      }
    }
    Result p = Result.merge(platformSlices);
    Result d = Result.merge(storeSlices);
    System.out.println(clients + " clients " + what + ":");
    System.out.println("  through the platform : " + p);
    System.out.println("  straight from store  : " + d);
    if (paceNanos == 0) {
      System.out.println("  CPU per request, through the platform: " + cpuPerRequest(platformCpu, p));
      System.out.println("  CPU per request, straight from store : " + cpuPerRequest(storeCpu, d));
      System.out.printf("  throughput ratio platform/store %.2f (target ≥ 0.8); platform p99 %.1f ms (target ≤ 200 ms)%n",
          p.mibPerSecond() / d.mibPerSecond(), p.latency().p99());
    } else { // CPU per request would be mostly the processes' idle work here, spread over few requests
      System.out.printf("  platform p99 %.1f ms (target ≤ 200 ms), store p99 %.1f ms%n", p.latency().p99(), d.latency().p99());
    }
  }

  /** GET requests of these URIs, cycled through, with the given headers and, for a browser, its Accept-Encoding. */
  static IntFunction<HttpRequest> requests(List<URI> uris, boolean browser, String... headers) {
    List<HttpRequest> out = new ArrayList<>();
    for (URI u : uris) {
      HttpRequest.Builder b = HttpRequest.newBuilder(u).GET();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      if (browser) {
        b.header("Accept-Encoding", BROWSER_ACCEPT_ENCODING);
      }
      out.add(b.build());
    }
    return i -> out.get(i % out.size());
  }

  /** One segment: its path under the job's HLS folder, its object key, its size. */
  record Segment(int rung, String path, String key, long bytes) {
  }

  /** Every segment of every rung, from the rungs' playlists as served, with sizes from the store. */
  static List<Segment> segments(TranscodeBench.Lab lab, TranscodeBench.Lab.Run lesson) throws Exception {
    String prefix = "media/" + lesson.resourceId() + "/" + lesson.jobId() + "/";
    String base = lesson.media().getString("hls").replace("master.m3u8", "");
    List<Segment> out = new ArrayList<>();
    for (Object o : lesson.media().getJsonArray("renditions")) {
      int label = ((JsonObject) o).getInteger("label");
      String dir = label + "p/";
      for (String line : lab.admin.get(base + dir + "index.m3u8").body().split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String path = dir + line.strip();
          out.add(new Segment(label, path, prefix + path, lab.bytesUnder(prefix + path, ".ts")));
        }
      }
    }
    return out;
  }

  static double meanKiB(List<Segment> segments, boolean top) {
    int rung = segments.stream().mapToInt(Segment::rung).reduce(top ? Math::max : Math::min).orElse(0);
    return segments.stream().filter(s -> s.rung() == rung).mapToLong(Segment::bytes).average().orElse(0) / 1024;
  }

  /**
   * Load on one side: each client fetches the next segment of the shared list, body read to the end; with
   * {@code paceNanos} 0 the next one at once (closed loop), otherwise one every {@code paceNanos} from a random offset.
   */
  record Side(HttpClient http, IntFunction<HttpRequest> request, boolean followRedirect) {

    Result load(int clients, int seconds, long paceNanos) throws InterruptedException {
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long[][] lat = new long[clients][MAX_FETCHES_PER_CLIENT];
      int[] counts = new int[clients];
      AtomicInteger errors = new AtomicInteger();
      AtomicInteger encoded = new AtomicInteger();
      AtomicInteger next = new AtomicInteger();
      AtomicLong bytes = new AtomicLong();
      Random offsets = new Random(11);
      List<Thread> threads = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int w = 0; w < clients; w++) {
        int worker = w;
        long offset = (long) (offsets.nextDouble() * paceNanos);
        Thread t = new Thread(() -> {
          byte[] buf = new byte[64 * 1024];
          for (long due = t0 + offset; due < end && System.nanoTime() < end && counts[worker] < lat[worker].length; due += paceNanos) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            HttpRequest req = request.apply(next.getAndIncrement());
            long s = System.nanoTime();
            long n = 0;
            try {
              HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
              if (followRedirect && r.statusCode() == 302) {
                r.body().close();
                HttpRequest.Builder to = HttpRequest.newBuilder(URI.create(r.headers().firstValue("Location").orElseThrow())).GET();
                req.headers().firstValue("Accept-Encoding").ifPresent(v -> to.header("Accept-Encoding", v));
                r = http.send(to.build(), HttpResponse.BodyHandlers.ofInputStream());
              }
              try (InputStream in = r.body()) {
                for (int k; (k = in.read(buf)) >= 0; ) {
                  n += k;
                }
              }
              if (r.statusCode() != 200) {
                errors.incrementAndGet();
              }
              if (r.headers().firstValue("Content-Encoding").filter(e -> !e.equals("identity")).isPresent()) {
                encoded.incrementAndGet();
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
            lat[worker][counts[worker]++] = System.nanoTime() - s;
            bytes.addAndGet(n);
          }
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long[] all = Bench.merge(lat, counts);
      int total = all.length;
      return new Result(Bench.Latency.of(all, total), all, bytes.get(), errors.get(), encoded.get(), elapsed);
    }
  }

  /** {@code bytes} as they came over the wire (compressed, for responses with a Content-Encoding: {@code encoded}). */
  record Result(Bench.Latency latency, long[] nanos, long bytes, int errors, int encoded, double seconds) {
    static Result merge(List<Result> parts) {
      long[] all = parts.stream().flatMapToLong(p -> java.util.Arrays.stream(p.nanos)).toArray();
      return new Result(Bench.Latency.of(all, all.length), all, parts.stream().mapToLong(Result::bytes).sum(),
          parts.stream().mapToInt(Result::errors).sum(), parts.stream().mapToInt(Result::encoded).sum(),
          parts.stream().mapToDouble(Result::seconds).sum());
    }

    double mibPerSecond() {
      return bytes / 1048576.0 / seconds;
    }

    @Override
    public String toString() {
      return latency + String.format(", %.0f MiB/s, %.0f req/s, %d errors, %d with a Content-Encoding", mibPerSecond(),
          nanos.length / seconds, errors, encoded);
    }
  }

  static final String[] CPU_PARTS = {"bench JVM (platform + load generator)", "S3Proxy", "PostgreSQL"};

  /** CPU seconds so far of the {@link #CPU_PARTS}, from /proc: where a segment's cost goes, whatever else the machine runs. */
  static double[] cpu() {
    double[] jvmEsPg = SearchBench.Cpu.seconds();
    double s3proxy = ProcessHandle.current().descendants()
        .filter(p -> String.join(" ", TranscodeBench.Proc.cmdline(p.pid())).contains("s3proxy.jar"))
        .mapToDouble(p -> TranscodeBench.Proc.cpu(p.pid())).sum();
    return new double[] {jvmEsPg[0], s3proxy, jvmEsPg[2]};
  }

  static String cpuPerRequest(double[] cpu, Result r) {
    StringBuilder b = new StringBuilder();
    double total = 0;
    for (int k = 0; k < CPU_PARTS.length; k++) {
      double ms = cpu[k] * 1000 / Math.max(1, r.nanos().length);
      total += ms;
      b.append(CPU_PARTS[k]).append(String.format(" %.2f ms, ", ms));
    }
    return b.append(String.format("total %.2f ms", total)).toString();
  }
}
