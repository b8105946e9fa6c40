package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/**
 * Real transcodes of generated clips: the ladder (no upscaling, portrait kept, interlaced made progressive, audio
 * only), the master playlist, aligned keyframes and segment lengths checked with ffprobe on the files as served,
 * and the playback surface: authorization, content types, Range, posters, thumbnails, MP4 downloads, positions.
 */
class TranscodeTest {

  static final Duration LIMIT = Duration.ofMinutes(3);
  static Platform platform;
  static Api admin;
  static Api teacher;
  static Api other;
  static String lesson;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("transcode");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "tc.teacher", "teacher", "371321");
    other = Library.user(admin, platform.port(), "tc.other", "rural_teacher", "371321");
    lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static UUID upload(String type, Path file) throws Exception {
    UUID id = Library.draft(teacher, "课例 " + file.getFileName(), type, lesson);
    Api.Response up = new Tus(teacher).upload(id, file.getFileName().toString(), Files.readAllBytes(file));
    assertEquals(204, up.status(), up.body());
    return id;
  }

  @Test
  void a720pLessonBecomesAlignedAdaptiveHls() throws Exception {
    UUID id = upload("video", Clips.pattern("lesson720.mp4", 1280, 720, 10, false));
    JsonObject media = MediaWait.settled(teacher, id, LIMIT);
    assertEquals("ready", media.getString("status"), media.encodePrettily());
    assertEquals(100.0, media.getDouble("progress"));

    // 720p, 480p and 360p; never 1080p from a 720p source.
    JsonArray renditions = media.getJsonArray("renditions");
    List<Integer> heights = new ArrayList<>();
    renditions.forEach(r -> heights.add(((JsonObject) r).getInteger("height")));
    assertEquals(List.of(720, 480, 360), heights);
    assertEquals(1280, renditions.getJsonObject(0).getInteger("width"));
    assertEquals(854, renditions.getJsonObject(1).getInteger("width"));

    String hls = media.getString("hls");
    Api.Response master = teacher.get(hls);
    assertEquals(200, master.status());
    assertEquals("application/vnd.apple.mpegurl", master.header("Content-Type"));
    assertTrue(master.body().contains("RESOLUTION=1280x720"), master.body());
    assertTrue(master.body().matches("(?s).*BANDWIDTH=\\d+.*"), master.body());
    assertTrue(master.body().contains("CODECS=\"avc1.64"), "H.264 High profile: " + master.body());
    assertTrue(master.body().contains("mp4a.40.2"), master.body());

    // Every rung: 6 s segments (the last one shorter), keyframes every 2 s at the same times in every rung.
    String base = hls.substring(0, hls.lastIndexOf('/') + 1);
    Path local = Files.createDirectories(Clips.dir().resolve("served-" + id));
    List<String> keyframes = new ArrayList<>();
    for (String height : List.of("720p", "480p", "360p")) {
      Path dir = Files.createDirectories(local.resolve(height));
      Api.Response variant = teacher.get(base + height + "/index.m3u8");
      assertEquals(200, variant.status(), variant.body());
      Files.writeString(dir.resolve("index.m3u8"), variant.body());
      List<Double> durations = new ArrayList<>();
      for (String line : variant.body().split("\n")) {
        if (line.startsWith("#EXTINF:")) {
          durations.add(Double.parseDouble(line.substring(8, line.indexOf(','))));
        } else if (!line.isBlank() && !line.startsWith("#")) {
          assertEquals(200, teacher.download(base + height + "/" + line.strip(), dir.resolve(line.strip())));
        }
      }
      assertEquals(List.of(6.0, 4.0), durations.stream().map(d -> Math.round(d * 10) / 10.0).toList(), height);
      String frames = Clips.ffprobe("-protocol_whitelist", "file", "-select_streams", "v:0", "-skip_frame", "nokey",
          "-show_entries", "frame=pts_time", "-of", "csv=p=0", dir.resolve("index.m3u8").toString());
      keyframes.add(frames.strip());
      String profile = Clips.ffprobe("-protocol_whitelist", "file", "-select_streams", "v:0", "-show_entries",
          "stream=profile,width,height", "-of", "csv=p=0", dir.resolve("index.m3u8").toString());
      assertTrue(profile.startsWith("High"), profile);
    }
    assertEquals(keyframes.get(0), keyframes.get(1));
    assertEquals(keyframes.get(0), keyframes.get(2));
    List<Double> times = keyframes.get(0).lines().map(l -> Double.parseDouble(l.split(",")[0])).toList();
    assertEquals(5, times.size(), "a keyframe every 2 s over 10 s: " + times);
    for (int i = 1; i < times.size(); i++) {
      assertEquals(2.0, times.get(i) - times.get(i - 1), 0.05, "keyframe spacing " + times);
    }

    // Segments: type, Range, CDN-friendly caching of an immutable (job-addressed) file, kept private for a draft.
    Api.Response range = teacher.get(base + "360p/seg-00000.ts", "Range", "bytes=0-187");
    assertEquals(206, range.status());
    assertEquals("video/mp2t", range.header("Content-Type"));
    assertEquals("188", range.header("Content-Length"));
    assertTrue(range.header("Cache-Control").contains("immutable"), range.header("Cache-Control"));
    assertTrue(range.header("Cache-Control").startsWith("private"), "a draft is not for shared caches");

    // The node keeps the HLS files it has served (KELIAN_HLS_CACHE_MB) and sends them from its disk: byte for byte
    // as stored, whole and in ranges. Taken out of the store behind the platform's back, a segment served before is
    // still served, so these answers come from the cache; who may see it is still decided for every request.
    byte[] stored = Files.readAllBytes(local.resolve("720p").resolve("seg-00001.ts"));
    int n = stored.length;
    platform.objects().delete("media/" + id + "/" + media.getString("jobId") + "/720p/seg-00001.ts").await();
    Path again = local.resolve("again.ts");
    assertEquals(200, teacher.download(base + "720p/seg-00001.ts", again));
    assertArrayEquals(stored, Files.readAllBytes(again));
    Path part = local.resolve("part.ts");
    assertEquals(206, teacher.download(base + "720p/seg-00001.ts", part, "Range", "bytes=188-375"));
    assertArrayEquals(java.util.Arrays.copyOfRange(stored, 188, 376), Files.readAllBytes(part));
    Api.Response last = teacher.get(base + "720p/seg-00001.ts", "Range", "bytes=-188");
    assertEquals(206, last.status());
    assertEquals("bytes " + (n - 188) + "-" + (n - 1) + "/" + n, last.header("Content-Range"));
    assertEquals("video/mp2t", last.header("Content-Type"));
    assertTrue(last.header("Cache-Control").startsWith("private"), last.header("Cache-Control"));
    Api.Response beyond = teacher.get(base + "720p/seg-00001.ts", "Range", "bytes=" + n + "-");
    assertEquals(416, beyond.status());
    assertEquals("bytes */" + n, beyond.header("Content-Range"));
    assertEquals(404, other.get(base + "720p/seg-00001.ts").status(), "a cached draft is still not for others");
    assertEquals(401, new Api(platform.port(), null).get(base + "720p/seg-00001.ts").status());

    // Poster and seek-bar thumbnails.
    Path poster = local.resolve("poster.jpg");
    assertEquals(200, teacher.download(media.getString("poster"), poster));
    assertTrue(Files.size(poster) > 1000);
    Api.Response vtt = teacher.get(media.getString("thumbnails"));
    assertEquals(200, vtt.status());
    assertTrue(vtt.header("Content-Type").startsWith("text/vtt"));
    assertTrue(vtt.body().startsWith("WEBVTT"));
    assertTrue(vtt.body().contains("00:00:08.000 --> 00:00:10.000\nsprite-001.jpg#xywh=640,0,160,90"), vtt.body());
    String thumbs = media.getString("thumbnails");
    assertEquals(200, teacher.download(thumbs.substring(0, thumbs.lastIndexOf('/') + 1) + "sprite-001.jpg", local.resolve("sprite.jpg")));

    // Authorization: nobody without a login; nobody else while it is a draft; no paths outside the job.
    assertEquals(401, new Api(platform.port(), null).get(hls).status());
    assertEquals(404, other.get(hls).status());
    assertEquals(404, other.get("/api/v1/resources/" + id + "/media").status());
    assertEquals(404, teacher.get(base + "..%2F..%2Fsecret.ts").status());
    assertEquals(410, teacher.get("/api/v1/resources/" + id + "/hls/" + UUID.randomUUID() + "/master.m3u8").status());

    // A chosen quality as one MP4, remuxed once and kept.
    Path mp4 = local.resolve("360.mp4");
    assertEquals(200, teacher.download("/api/v1/resources/" + id + "/media/download?quality=360", mp4));
    String probe = Clips.ffprobe("-show_entries", "stream=codec_name,height:format=duration", "-of", "json", mp4.toString());
    JsonObject p = new JsonObject(probe);
    assertEquals(360, p.getJsonArray("streams").getJsonObject(0).getInteger("height"));
    assertEquals(10.0, Double.parseDouble(p.getJsonObject("format").getString("duration")), 0.2);
    assertEquals(404, teacher.get("/api/v1/resources/" + id + "/media/download?quality=1080").status());
    assertEquals(400, teacher.get("/api/v1/resources/" + id + "/media/download?quality=abc").status());

    // Resume where this user stopped.
    assertEquals(0.0, teacher.get("/api/v1/resources/" + id + "/playback").json().getDouble("positionSeconds"));
    assertEquals(200, teacher.put("/api/v1/resources/" + id + "/playback", new JsonObject().put("positionSeconds", 6.5)).status());
    assertEquals(6.5, teacher.get("/api/v1/resources/" + id + "/playback").json().getDouble("positionSeconds"));
    assertEquals(400, teacher.put("/api/v1/resources/" + id + "/playback", new JsonObject().put("positionSeconds", "six")).status());
    assertEquals(400, teacher.put("/api/v1/resources/" + id + "/playback", new JsonObject().put("positionSeconds", -1)).status());

    // Published: everyone in the scope may watch, and segments become cacheable by shared caches.
    assertEquals(200, teacher.post("/api/v1/resources/" + id + "/submit", null).status());
    assertEquals(200, admin.post("/api/v1/resources/" + id + "/approve", null).status());
    Api.Response shared = other.get(base + "360p/seg-00000.ts", "Range", "bytes=0-187");
    assertEquals(206, shared.status());
    assertTrue(shared.header("Cache-Control").startsWith("public"), shared.header("Cache-Control"));
  }

  @Test
  void portraitPhoneVideoKeepsItsOrientation() throws Exception {
    Path plain = Clips.pattern("landscape-coded.mp4", 640, 360, 4, false);
    Path rotated = Clips.dir().resolve("portrait.mp4");
    Clips.ffmpeg(List.of("-display_rotation:v:0", "90", "-i", plain.toString(), "-c", "copy", rotated.toString()));
    JsonObject media = MediaWait.settled(teacher, upload("video", rotated), LIMIT);
    assertEquals("ready", media.getString("status"), media.encodePrettily());
    JsonArray renditions = media.getJsonArray("renditions");
    assertEquals(1, renditions.size(), renditions.encode());
    assertEquals(360, renditions.getJsonObject(0).getInteger("width"));
    assertEquals(640, renditions.getJsonObject(0).getInteger("height"));
  }

  @Test
  void interlacedSourcesAreDeinterlaced() throws Exception {
    Path interlaced = Clips.pattern("interlaced.mp4", 720, 576, 4, false, "-vf", "setfield=tff", "-flags", "+ildct+ilme",
        "-x264opts", "tff=1");
    assertTrue(Clips.ffprobe("-select_streams", "v:0", "-show_entries", "stream=field_order", "-of", "csv=p=0",
        interlaced.toString()).strip().equals("tt"));
    UUID id = upload("recording", interlaced);
    JsonObject media = MediaWait.settled(teacher, id, LIMIT);
    assertEquals("ready", media.getString("status"), media.encodePrettily());
    String hls = media.getString("hls");
    String base = hls.substring(0, hls.lastIndexOf('/') + 1);
    Path seg = Clips.dir().resolve("interlaced-out.ts");
    assertEquals(200, teacher.download(base + "480p/seg-00000.ts", seg), "576 lines make 480p and 360p: "
        + media.getJsonArray("renditions").encode());
    assertEquals(List.of("progressive"), Clips.ffprobe("-select_streams", "v:0", "-show_entries", "stream=field_order", "-of",
        "csv=p=0", seg.toString()).lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().toList());
  }

  @Test
  void audioOnlyBecomesAudioHls() throws Exception {
    Path audio = Clips.dir().resolve("talk.m4a");
    Clips.ffmpeg(List.of("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "5", "-c:a", "aac", audio.toString()));
    JsonObject media = MediaWait.settled(teacher, upload("video", audio), LIMIT);
    assertEquals("ready", media.getString("status"), media.encodePrettily());
    assertTrue(media.getBoolean("audioOnly"));
    assertNull(media.getString("poster"));
    assertEquals("mp4a.40.2", media.getJsonArray("renditions").getJsonObject(0).getString("codecs"));
    Api.Response master = teacher.get(media.getString("hls"));
    assertEquals(200, master.status());
    assertFalse(master.body().contains("RESOLUTION"), master.body());
  }

  @Test
  void captionsFromSrtAreServedAsWebVtt() {
    UUID id = Library.draft(teacher, "带字幕的课例", "video", lesson);
    String path = "/api/v1/resources/" + id + "/captions/zh";
    String srt = "1\r\n00:00:01,000 --> 00:00:03,500\r\n同学们，今天我们认识长方形。\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\n长方形的对边相等\r\n";
    Api.Response saved = teacher.request("PUT", path, srt.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "Content-Type", "application/x-subrip");
    assertEquals(200, saved.status(), saved.body());
    assertEquals(2, saved.json().getInteger("cues"));
    assertEquals("中文", saved.json().getString("label"));
    Api.Response vtt = teacher.get(path);
    assertEquals(200, vtt.status());
    assertTrue(vtt.header("Content-Type").startsWith("text/vtt"));
    assertEquals("WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n同学们，今天我们认识长方形。\n\n00:00:04.000 --> 00:00:06.000\n长方形的对边相等\n",
        vtt.body());
    assertEquals(1, teacher.get("/api/v1/resources/" + id + "/captions").jsonArray().size());

    Api.Response bad = teacher.request("PUT", path, "1\n00:00:01 -> 00:00:02\n文字\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(400, bad.status());
    assertEquals("captions_malformed", bad.errorCode());
    assertEquals(400, teacher.request("PUT", "/api/v1/resources/" + id + "/captions/中文", srt.getBytes()).status());
    assertEquals(400, teacher.request("PUT", path, new byte[0]).status());
    assertEquals(404, other.request("PUT", path, srt.getBytes()).status(), "a draft is invisible to others");
    assertEquals(2, teacher.get(path).body().split("-->").length - 1, "a refused file left the track as it was");
    assertEquals(204, teacher.delete(path).status());
    assertEquals(404, teacher.get(path).status());
  }

  @Test
  void aLessonIsFoundByWordsSpokenInItAndLinksToTheMoment() throws Exception {
    UUID id = upload("video", Clips.pattern("spoken.mp4", 320, 180, 3, false));
    String srt = "1\n00:00:01,000 --> 00:00:03,000\n请同学们拿出学具\n\n2\n00:01:12,500 --> 00:01:15,000\n周长就是围成图形的边线的总长度\n";
    assertEquals(200, teacher.request("PUT", "/api/v1/resources/" + id + "/captions/zh", srt.getBytes(java.nio.charset.StandardCharsets.UTF_8)).status());
    assertEquals(200, teacher.post("/api/v1/resources/" + id + "/submit", null).status());
    assertEquals(200, admin.post("/api/v1/resources/" + id + "/approve", null).status());
    JsonObject hit = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (hit == null && System.nanoTime() < deadline) {
      JsonArray hits = other.get("/api/v1/search?q=" + java.net.URLEncoder.encode("围成图形 总长度", java.nio.charset.StandardCharsets.UTF_8)).json()
          .getJsonArray("hits");
      hit = hits.stream().map(h -> (JsonObject) h).filter(h -> h.getString("id").equals(id.toString())).findFirst().orElse(null);
      if (hit == null) {
        Thread.sleep(200);
      }
    }
    assertNotNull(hit, "found by words that are only in its captions");
    assertEquals(72.5, hit.getJsonObject("moment").getDouble("seconds"));
    assertEquals("周长就是围成图形的边线的总长度", hit.getJsonObject("moment").getString("text"));
  }

  @Test
  void progressIsPushedToThePageUntilReady() throws Exception {
    UUID id = Library.draft(teacher, "推送进度的课例", "video", lesson);
    java.util.List<JsonObject> events = java.util.Collections.synchronizedList(new ArrayList<>());
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + platform.port()
        + "/api/v1/resources/" + id + "/media/events")).header("Authorization", "Bearer " + teacher.token()).build();
    var stream = http.sendAsync(request, java.net.http.HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
      assertEquals("text/event-stream; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
      java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
      r.body().takeWhile(l -> !ready.get()).filter(l -> l.startsWith("data: ")).map(l -> new JsonObject(l.substring(6))).forEach(e -> {
        events.add(e);
        ready.set("ready".equals(e.getString("status")));
      });
    });
    byte[] clip = Files.readAllBytes(Clips.pattern("pushed.mp4", 1280, 720, 20, false));
    assertEquals(204, new Tus(teacher).upload(id, "pushed.mp4", clip).status());
    stream.get(3, java.util.concurrent.TimeUnit.MINUTES);
    List<String> statuses = events.stream().map(e -> e.getString("status")).distinct().toList();
    assertEquals("ready", statuses.get(statuses.size() - 1), statuses.toString());
    assertTrue(events.stream().anyMatch(e -> "processing".equals(e.getString("status")) && e.getDouble("progress") > 3
        && e.getDouble("progress") < 100), "progress while it runs: " + events);
  }

  @Test
  void anAdminCancelsARunningJobAndTheWorkerGoesOn() throws Exception {
    UUID id = upload("video", Clips.pattern("cancel-me.mp4", 1280, 720, 40, false));
    JsonObject running = MediaWait.until(teacher, id, LIMIT, s -> "processing".equals(s.getString("status")) && s.getDouble("progress") > 2.5);
    Api.Response cancelled = admin.post("/api/v1/transcode-jobs/" + running.getString("jobId") + "/cancel", null);
    assertEquals(200, cancelled.status(), cancelled.body());
    assertEquals("cancelled", cancelled.json().getString("status"));
    JsonObject after = MediaWait.settled(teacher, id, LIMIT);
    assertEquals("failed", after.getString("status"));
    assertEquals("cancelled", after.getJsonObject("error").getString("code"));
    assertNull(after.getString("hls"), "nothing of a cancelled job is published");
    // The encoder stopped: the next job runs now, not after the cancelled one would have finished.
    JsonObject next = MediaWait.settled(teacher, upload("video", Clips.pattern("after-cancel.mp4", 320, 180, 2, false)), LIMIT);
    assertEquals("ready", next.getString("status"));
    Api.Response retried = admin.post("/api/v1/transcode-jobs/" + running.getString("jobId") + "/retry", null);
    assertEquals(200, retried.status(), "a cancelled job can be queued again");
    assertEquals("ready", MediaWait.settled(teacher, id, LIMIT).getString("status"));
  }

  @Test
  void nonVideoResourcesHaveNoMedia() {
    UUID id = Library.draft(teacher, "教案", "lesson_design", lesson);
    Api.Response r = teacher.get("/api/v1/resources/" + id + "/media");
    assertEquals(404, r.status());
    assertEquals("not_media_resource", r.errorCode());
    assertNotNull(r.json().getJsonObject("error").getString("message"));
  }
}
