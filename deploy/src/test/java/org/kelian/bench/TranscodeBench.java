package org.kelian.bench;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.kelian.core.media.Ladder;
import org.kelian.core.media.MediaInfo;
import org.kelian.core.media.Rung;
import org.kelian.deploy.Platform;
import org.kelian.deploy.stack.LocalStack;
import org.kelian.it.Api;
import org.kelian.it.TestPlatform;
import org.kelian.it.TestStack;
import org.kelian.media.transcode.FfmpegBinaries;
import org.kelian.media.transcode.FfmpegTranscoder;

/**
 * Transcoding figures of issue #3 on a generated classroom recording (1080p30, H.264 at ~6 Mbit/s, cached under
 * the bench data folder):
 * <ul>
 *   <li>{@code pipeline [seconds] [rounds]}: the platform's transcode of the source (upload, job, publish) against
 *   the same ffmpeg command run by hand, and against the platform's encoder called without the platform, in
 *   rounds whose order rotates so that the machine's other load weighs on all three alike;</li>
 *   <li>{@code ladder [seconds]}: one long source through the platform to the full ladder: wall time against the
 *   source's duration, ffmpeg's CPU time and peak memory, the JVM's heap peak, and the bitrate of every rung.</li>
 * </ul>
 */
public final class TranscodeBench {

  static final FfmpegBinaries BIN = FfmpegBinaries.load();
  static final Path DATA = Path.of(System.getProperty("kelian.test.data", "target/test-data")).toAbsolutePath();

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    try {
      switch (mode) {
        case "pipeline" -> pipeline(args.length > 1 ? Integer.parseInt(args[1]) : 120, args.length > 2 ? Integer.parseInt(args[2]) : 2);
        case "ladder" -> ladder(args.length > 1 ? Integer.parseInt(args[1]) : 600);
        default -> throw new IllegalArgumentException("usage: TranscodeBench pipeline [seconds] [rounds] | ladder [seconds]");
      }
    } finally {
      System.exit(0); // the stack's shutdown hook stops its servers
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pipeline overhead

  static void pipeline(int seconds, int rounds) throws Exception {
    System.out.println(Bench.header("transcode pipeline benchmark, " + seconds + " s source, " + rounds + " rounds"));
    System.out.println("load average at start: " + loadavg());
    Path source = classroomSource(seconds);
    try (Lab lab = Lab.start("benchtranscode")) {
      // The platform's encoder without the platform: same binaries, same preset, same ladder as the worker uses.
      FfmpegTranscoder encoder = new FfmpegTranscoder(BIN, lab.platform.media().options().preset());
      MediaInfo info = encoder.probe(source);
      List<Rung> ladder = Ladder.plan(info.video());
      System.out.printf("source: %s, %.1f s, %dx%d at %.2f fps, %.1f MiB (%.1f Mbit/s); ladder %s; preset %s%n", source.getFileName(),
          info.durationSeconds(), info.video().width(), info.video().height(), info.video().fps(), Files.size(source) / 1048576.0,
          Files.size(source) * 8 / info.durationSeconds() / 1e6, ladder.stream().map(r -> r.label() + "p").toList(),
          lab.platform.media().options().preset());
      Path out = Files.createDirectories(DATA.resolve("transcode-bench-out"));

      // Three ways, each run once per round in a rotating order; "hand" needs the command line the encoder builds,
      // so the first round starts with the encoder and the command line is read from its ffmpeg process.
      List<String> handArgs = null;
      double[][] times = new double[3][rounds]; // hand, encoder, platform
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
        for (int k = 0; k < 3; k++) {
          int way = (k + 1 + r) % 3; // round 1: encoder, platform, hand; then rotated by one each round
          switch (way) {
            case 0 -> {
              times[0][r] = byHand(handArgs, out);
              line.append(String.format(Locale.ROOT, " by hand %.1f s;", times[0][r]));
            }
            case 1 -> {
              clean(out);
              FfmpegWatch watch = FfmpegWatch.start();
              long t0 = System.nanoTime();
              encoder.transcode(source, info, ladder, out, f -> true);
              times[1][r] = (System.nanoTime() - t0) / 1e9;
              watch.stop();
              handArgs = watch.encodeArgs();
              line.append(String.format(Locale.ROOT, " encoder %.1f s (ffmpeg %.1f s);", times[1][r], watch.encodeSeconds()));
            }
            default -> {
              FfmpegWatch watch = FfmpegWatch.start();
              Lab.Run run = lab.transcode(source, Duration.ofSeconds(600L + seconds * 6L));
              watch.stop();
              times[2][r] = run.jobSeconds();
              line.append(String.format(Locale.ROOT, " platform %.1f s (job startedAt→finishedAt; upload done→ready %.1f s; ffmpeg %.1f s);",
                  run.jobSeconds(), run.readySeconds(), watch.encodeSeconds()));
            }
          }
        }
        System.out.println(line.substring(0, line.length() - 1));
      }
      clean(out);
      double hand = median(times[0]);
      double enc = median(times[1]);
      double plat = median(times[2]);
      System.out.printf("medians: by hand %.1f s, encoder %.1f s, platform %.1f s (%.2f×, %.2f×, %.2f× real time)%n", hand, enc, plat,
          info.durationSeconds() / hand, info.durationSeconds() / enc, info.durationSeconds() / plat);
      System.out.printf("speed ratio by hand/platform %.3f (target ≥ 0.95); by hand/encoder %.3f%n", hand / plat, hand / enc);
      System.out.println("load average at end: " + loadavg());
    }
  }

  /** The encoder's exact ffmpeg command, run again as a plain subprocess into the same (emptied) output folder. */
  static double byHand(List<String> args, Path out) throws Exception {
    clean(out);
    Path log = DATA.resolve("transcode-bench-hand.log");
    long t0 = System.nanoTime();
    Process p = ffmpegProcess(args).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (code != 0) {
      throw new IllegalStateException("ffmpeg by hand exited with " + code + ", see " + log);
    }
    return seconds;
  }

  /** Empties an output folder and makes the one subfolder the encoder creates before it starts ffmpeg. */
  static void clean(Path out) throws IOException {
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.walk(out)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(out)) {
            Files.delete(p);
          }
        }
      }
    }
    Files.createDirectories(out.resolve("thumbs"));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The full ladder of a long lesson

  static void ladder(int seconds) throws Exception {
    System.out.println(Bench.header("transcode ladder benchmark, " + seconds + " s source"));
    System.out.println("load average at start: " + loadavg());
    long g0 = System.nanoTime();
    Path source = classroomSource(seconds);
    System.out.printf("source %s ready in %.1f s (%.1f MiB; generated once, then cached)%n", source.getFileName(),
        (System.nanoTime() - g0) / 1e9, Files.size(source) / 1048576.0);
    try (Lab lab = Lab.start("benchladder")) {
      // Children reaped by this JVM count in its cutime/cstime: the exact CPU total of every ffprobe and ffmpeg of
      // the job, which the 200 ms samples of the live processes can miss the last instants of.
      double[] self0 = Proc.selfCpu();
      FfmpegWatch watch = FfmpegWatch.start();
      Lab.Run run = lab.transcode(source, Duration.ofSeconds(1200L + seconds * 4L), Bench::resetHeapPeak);
      watch.stop();
      long heap = Bench.heapPeakBytes();
      double[] self1 = Proc.selfCpu();
      double duration = run.media().getDouble("durationSeconds");
      System.out.printf("wall time: job startedAt→finishedAt %.1f s for %.1f s of video = %.2f× the duration (target ≤ 1.00); "
          + "upload done→ready %.1f s; ffmpeg encode process %.1f s%n", run.jobSeconds(), duration, run.jobSeconds() / duration,
          run.readySeconds(), watch.encodeSeconds());
      System.out.printf("CPU: ffmpeg user+sys %.1f s sampled every 200 ms (%.2f cores over the encode), %.1f s by the JVM's reaped-children "
          + "count; bench JVM (platform) %.1f s%n", watch.cpuSeconds(), watch.cpuSeconds() / watch.encodeSeconds(), self1[1] - self0[1],
          self1[0] - self0[0]);
      System.out.printf("memory: ffmpeg peak RSS (VmHWM) %d MiB; JVM heap peak during the job %d MiB%n", watch.peakRssKiB() >> 10, heap >> 20);
      for (Object o : run.media().getJsonArray("renditions")) {
        JsonObject r = (JsonObject) o;
        String rung = r.getInteger("label") + "p";
        long bytes = lab.bytesUnder("media/" + run.resourceId() + "/" + run.jobId() + "/" + rung + "/", ".ts");
        System.out.printf("  %5s %4dx%-4d BANDWIDTH %5.0f kbit/s (master playlist), average %5.0f kbit/s (segment bytes / duration)%n",
            rung, r.getInteger("width"), r.getInteger("height"), r.getInteger("bandwidth") / 1000.0, bytes * 8 / duration / 1000);
      }
      System.out.println("load average at end: " + loadavg());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Shared by the transcoding and serving benchmarks

  /**
   * A classroom recording as a recording-room recorder makes it: a dark-green board on a wall, lines of "writing"
   * that appear one after another, a "teacher" walking slowly before the board, mild temporal sensor noise, and a
   * voice-like tone over pink room noise; H.264 at 6 Mbit/s constant bitrate, 1080p30, AAC. Generated once per
   * duration and kept in the bench data folder.
   */
  static Path classroomSource(int seconds) throws Exception {
    Path dir = Files.createDirectories(DATA.resolve("sources"));
    Path file = dir.resolve("classroom-1080p30-" + seconds + "s.mp4");
    if (Files.exists(file)) {
      return file;
    }
    int lines = 14;
    StringBuilder g = new StringBuilder("[0:v]drawbox=x=160:y=110:w=1600:h=640:c=0x1e4d2b:t=fill");
    for (int i = 0; i < lines; i++) {
      // two columns of seven lines; line i is written at the (i+1)-th fifteenth of the lesson
      g.append(String.format(Locale.ROOT, ",drawbox=x=%d:y=%d:w=%d:h=10:c=white:t=fill:enable='gte(t,%.1f)'", 220 + (i / 7) * 780,
          170 + (i % 7) * 80, 420 + (i * 137) % 300, (i + 1) * seconds / (lines + 1.0)));
    }
    // drawbox evaluates its position once, so the moving teacher is an overlay (whose x is evaluated per frame)
    g.append("[board];[1:v]drawbox=x=55:y=0:w=110:h=130:c=0xd9b38c:t=fill[teacher];")
        .append("[board][teacher]overlay=x='850+550*sin(2*PI*t/40)':y=420,noise=alls=3:allf=t,format=yuv420p[v];")
        .append("[2:a][3:a]amix=inputs=2:normalize=0[a]");
    Path part = dir.resolve(file.getFileName() + ".part");
    // ultrafast keeps the generation near real time on 2 cores; what the transcoder then pays to decode a
    // 6 Mbit/s stream hardly depends on the preset that made it.
    ffmpeg(List.of("-hide_banner", "-nostdin", "-y", "-v", "error",
        "-f", "lavfi", "-i", "color=c=0x8a8270:s=1920x1080:r=30",
        "-f", "lavfi", "-i", "color=c=0x2d3a55:s=220x640:r=30",
        "-f", "lavfi", "-i", "sine=frequency=180:sample_rate=48000",
        "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.05:sample_rate=48000",
        "-filter_complex", g.toString(), "-map", "[v]", "-map", "[a]", "-t", String.valueOf(seconds),
        "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-maxrate", "6M", "-bufsize", "12M", "-g", "60",
        "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-movflags", "+faststart", "-f", "mp4", part.toString()));
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  static ProcessBuilder ffmpegProcess(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(BIN.ffmpeg().toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().put("LD_LIBRARY_PATH", BIN.ffmpeg().getParent().toString()); // as FfmpegBinaries starts it
    return pb;
  }

  static void ffmpeg(List<String> args) throws Exception {
    Process p = ffmpegProcess(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ffmpeg failed: " + out);
    }
  }

  static String loadavg() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /**
   * A platform of its own on the shared stack with the catalog imported, and an admin who uploads video resources
   * through tus and waits for their media as the page does.
   */
  static final class Lab implements AutoCloseable {
    final Platform platform;
    final Api admin;
    final String token;
    final String node;
    final String bucket;
    final MinioClient s3;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Lab(Platform platform, String name) throws IOException {
      this.platform = platform;
      this.admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      this.token = Api.loginToken(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      admin.post("/api/v1/catalog/import", new JsonArray(Files.readString(Path.of(System.getProperty("kelian.repo.root", ".."),
          "deploy/src/main/resources/seed/textbooks.json"))));
      this.node = admin.get("/api/v1/catalog/nodes").jsonArray().getJsonObject(0).getString("id");
      this.bucket = "t-" + name; // as TestPlatform names it
      LocalStack.Endpoints e = TestStack.get().endpoints();
      this.s3 = MinioClient.builder().endpoint(e.s3Endpoint()).credentials(e.s3AccessKey(), e.s3SecretKey()).build();
    }

    static Lab start(String name) throws IOException {
      return start(name, Map.of());
    }

    static Lab start(String name, Map<String, String> env) throws IOException {
      return new Lab(TestPlatform.start(name, env), name);
    }

    /** One upload and its transcode: the job's own times, and the wall time from the upload's end to ready. */
    record Run(UUID resourceId, String jobId, JsonObject media, double jobSeconds, double readySeconds) {
    }

    Run transcode(Path file, Duration limit) throws Exception {
      return transcode(file, limit, () -> {
      });
    }

    /** {@code uploaded} runs as soon as the upload is complete, when the job is being queued. */
    Run transcode(Path file, Duration limit, Runnable uploaded) throws Exception {
      UUID id = upload(file);
      long t0 = System.nanoTime();
      uploaded.run();
      JsonObject media = settled(id, limit);
      double ready = (System.nanoTime() - t0) / 1e9;
      if (!"ready".equals(media.getString("status"))) {
        throw new IllegalStateException("the transcode failed: " + media.encode());
      }
      String jobId = media.getString("jobId");
      JsonObject job = admin.get("/api/v1/transcode-jobs?status=succeeded&size=100").json().getJsonArray("items").stream()
          .map(JsonObject.class::cast).filter(j -> j.getString("id").equals(jobId)).findFirst()
          .orElseThrow(() -> new IllegalStateException("job " + jobId + " is not among the succeeded jobs"));
      double jobSeconds = Duration.between(OffsetDateTime.parse(job.getString("startedAt")),
          OffsetDateTime.parse(job.getString("finishedAt"))).toNanos() / 1e9;
      return new Run(id, jobId, media, jobSeconds, ready);
    }

    /** A new video resource with this file, uploaded in one tus PATCH streamed from disk (as UploadBench does). */
    UUID upload(Path file) throws Exception {
      UUID id = UUID.fromString(admin.post("/api/v1/resources", new JsonObject().put("title", "课例 " + file.getFileName())
          .put("type", "video").put("catalogNodeIds", new JsonArray().add(node))).json().getString("id"));
      String base = "http://127.0.0.1:" + platform.port();
      Base64.Encoder b64 = Base64.getEncoder();
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/uploads"))
          .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0").header("Upload-Length", Long.toString(Files.size(file)))
          .header("Upload-Metadata", "resourceId " + b64.encodeToString(id.toString().getBytes(StandardCharsets.UTF_8))
              + ",filename " + b64.encodeToString(file.getFileName().toString().getBytes(StandardCharsets.UTF_8)))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      String location = created.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException(created.body()));
      HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(base + location))
          .header("Authorization", "Bearer " + token).header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
          .header("Content-Type", "application/offset+octet-stream")
          .method("PATCH", HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
      if (done.statusCode() != 204) {
        throw new IllegalStateException("upload failed: " + done.statusCode() + " " + done.body());
      }
      return id;
    }

    /** The media state once ready or failed, polled every 200 ms. */
    JsonObject settled(UUID id, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      JsonObject last = null;
      while (System.nanoTime() < deadline) {
        last = admin.get("/api/v1/resources/" + id + "/media").json();
        String status = last.getString("status");
        if ("ready".equals(status) || "failed".equals(status)) {
          return last;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException("media of " + id + " did not settle within " + limit + "; last state " + last);
    }

    /** Total size of the objects under a prefix whose names end with {@code suffix}. */
    long bytesUnder(String prefix, String suffix) throws Exception {
      long sum = 0;
      for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
        Item item = r.get();
        if (item.objectName().endsWith(suffix)) {
          sum += item.size();
        }
      }
      return sum;
    }

    @Override
    public void close() {
      platform.close();
    }
  }

  /** utime+stime and cutime+cstime of processes, from /proc (Linux), in seconds. */
  static final class Proc {
    private static final double TICK = 100.0; // USER_HZ

    private Proc() {
    }

    /** Fields after the command name of /proc/<pid>/stat (so index 0 is the state, field 3 of proc(5)); null when gone. */
    static String[] stat(long pid) {
      try {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
      } catch (IOException e) {
        return null;
      }
    }

    /** utime+stime of one process, all its threads; 0 when it is gone. */
    static double cpu(long pid) {
      String[] f = stat(pid);
      return f == null ? 0 : (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK;
    }

    /** This JVM: {own utime+stime, cutime+cstime of its children that have been waited for}. */
    static double[] selfCpu() {
      String[] f = stat(ProcessHandle.current().pid());
      return new double[] {(Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK, (Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICK};
    }

    /** VmHWM (peak resident set) in KiB; 0 when gone. */
    static long peakRssKiB(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmHWM:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | UncheckedIOException e) {
        // gone
      }
      return 0;
    }

    static List<String> cmdline(long pid) {
      try {
        String s = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        return List.of(s.split("\0"));
      } catch (IOException | UncheckedIOException e) {
        return List.of();
      }
    }
  }

  /**
   * Every 200 ms, the bundled ffmpeg processes below this JVM (the platform's worker runs in it): their CPU time,
   * peak resident memory, lifetime, and the command line of the encode (the run with a filter graph).
   */
  static final class FfmpegWatch {
    private static final class Seen {
      final List<String> cmdline;
      final long first = System.nanoTime();
      volatile long last = first;
      volatile double cpu;
      volatile long hwmKiB;

      Seen(List<String> cmdline) {
        this.cmdline = cmdline;
      }

      boolean encode() {
        return cmdline.contains("-filter_complex");
      }
    }

    private final Map<Long, Seen> seen = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread = new Thread(this::loop, "bench-ffmpeg-watch");

    static FfmpegWatch start() {
      FfmpegWatch w = new FfmpegWatch();
      w.thread.setDaemon(true);
      w.thread.start();
      return w;
    }

    private void loop() {
      String exe = BIN.ffmpeg().toString();
      while (running) {
        sample(exe);
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
      sample(exe);
    }

    private void sample(String exe) {
      ProcessHandle.current().descendants().forEach(p -> {
        Seen s = seen.get(p.pid());
        if (s == null) {
          // read again until it is ffmpeg: a child starts as the JDK's spawn helper and becomes ffmpeg when it execs
          List<String> cmdline = Proc.cmdline(p.pid());
          if (cmdline.isEmpty() || !cmdline.get(0).equals(exe)) {
            return;
          }
          s = new Seen(cmdline);
          seen.put(p.pid(), s);
        }
        double cpu = Proc.cpu(p.pid());
        long hwm = Proc.peakRssKiB(p.pid());
        if (cpu > 0 || hwm > 0) { // still there when read
          s.cpu = Math.max(s.cpu, cpu);
          s.hwmKiB = Math.max(s.hwmKiB, hwm);
          s.last = System.nanoTime();
        }
      });
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    double cpuSeconds() {
      return seen.values().stream().mapToDouble(s -> s.cpu).sum();
    }

    long peakRssKiB() {
      return seen.values().stream().mapToLong(s -> s.hwmKiB).max().orElse(0);
    }

    private Seen encode() {
      return seen.values().stream().filter(Seen::encode).findFirst()
          .orElseThrow(() -> new IllegalStateException("no ffmpeg encode was seen: it ran less than 200 ms?"));
    }

    /** How long the encode process was seen alive (to within the 200 ms sampling). */
    double encodeSeconds() {
      Seen s = encode();
      return (s.last - s.first) / 1e9;
    }

    /** The encode's arguments, without the executable. */
    List<String> encodeArgs() {
      List<String> c = encode().cmdline;
      return c.subList(1, c.size());
    }
  }
}
