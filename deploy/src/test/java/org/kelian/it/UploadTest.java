package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.core.upload.UploadOptions;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;

/** tus uploads onto S3 multipart: chunks, resumption after a dropped connection and a restart, and bad files. */
class UploadTest {

  static final int PART = 5 * 1024 * 1024;
  static PlatformOptions options;
  static Platform platform;
  static Api teacher;
  static String lesson;

  @BeforeAll
  static void start() {
    options = TestPlatform.options("uploads", Map.of(UploadOptions.PART_BYTES.env(), Integer.toString(PART)));
    platform = Platform.start(options).await();
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "up.teacher", "teacher", "371321");
    lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static byte[] mp4Like(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    // An ISO BMFF "ftyp" box: content sniffing sees an MP4.
    byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'i', 's', 'o', '2'};
    System.arraycopy(ftyp, 0, b, 0, ftyp.length);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void discoveryAndVersion() {
    Api.Response options = teacher.request("OPTIONS", "/api/v1/uploads", null);
    assertEquals(204, options.status());
    assertEquals("1.0.0", options.header("Tus-Version"));
    assertTrue(options.header("Tus-Extension").contains("creation"));
    UUID id = Library.draft(teacher, "v", "video", lesson);
    Api.Response noVersion = teacher.request("POST", "/api/v1/uploads", null, "Upload-Length", "10", "Upload-Metadata", Tus.meta(id, "a.mp4"));
    assertEquals(412, noVersion.status());
    assertEquals(401, new Api(platform.port(), null).request("POST", "/api/v1/uploads", null, "Tus-Resumable", "1.0.0").status());
  }

  @Test
  void chunksOfAnySizeAcrossPartBoundariesMakeTheExactFile() throws Exception {
    byte[] file = mp4Like(2 * PART + 123_457);
    UUID id = Library.draft(teacher, "长方形的周长 课例", "video", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.start(id, "长方形.mp4", file.length);
    int[] cuts = {0, 3 * 1024 * 1024, 3 * 1024 * 1024 + 1, PART * 2 - 7, file.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      Api.Response r = tus.patch(loc, cuts[i], Arrays.copyOfRange(file, cuts[i], cuts[i + 1]));
      assertEquals(204, r.status(), r.body());
      assertEquals(Integer.toString(cuts[i + 1]), r.header("Upload-Offset"));
      assertEquals(cuts[i + 1], tus.offset(loc));
    }
    JsonObject res = teacher.get("/api/v1/resources/" + id).json();
    assertEquals(sha256(file), res.getJsonObject("file").getString("sha256"));
    assertEquals(file.length, res.getJsonObject("file").getLong("size"));
    assertTrue(res.getJsonObject("file").getString("contentType").startsWith("video/"));
    assertArrayEquals(file, download(id));
  }

  @Test
  void wrongOffsetIs409AndTooManyBytesIs413() {
    byte[] file = mp4Like(1000);
    UUID id = Library.draft(teacher, "o", "video", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.start(id, "o.mp4", file.length);
    Api.Response wrong = tus.patch(loc, 10, Arrays.copyOfRange(file, 0, 10));
    assertEquals(409, wrong.status());
    assertEquals("offset_mismatch", wrong.errorCode());
    Api.Response tooMany = tus.patch(loc, 0, mp4Like(1001));
    assertEquals(413, tooMany.status());
    assertEquals(0, tus.offset(loc), "nothing of a refused request is kept");
    assertEquals(204, tus.patch(loc, 0, file).status());
  }

  @Test
  void aDroppedConnectionKeepsWhatArrivedAndTheUploadResumes() throws Exception {
    byte[] file = mp4Like(PART + 777_777);
    UUID id = Library.draft(teacher, "断线续传", "video", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.start(id, "drop.mp4", file.length);
    int sent = 3 * 1024 * 1024 + 5;
    try (Socket s = new Socket("127.0.0.1", platform.port())) {
      OutputStream out = s.getOutputStream();
      String head = "PATCH " + loc + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Api.loginToken(platform.port(), "up.teacher",
          "password-up.teacher") + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\n"
          + "Content-Length: " + file.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(file, 0, sent);
      out.flush();
    } // the connection drops with the body unfinished
    // As a tus client does: ask for the offset and go on from there, until the server has let go of the old request.
    Api.Response done = resumeFromServerOffset(tus, loc, file);
    assertEquals(204, done.status(), done.body());
    assertEquals(sha256(file), teacher.get("/api/v1/resources/" + id).json().getJsonObject("file").getString("sha256"));
  }

  @Test
  void anUploadSurvivesARestartOfThePlatform() throws Exception {
    byte[] file = mp4Like(PART + 4321);
    UUID id = Library.draft(teacher, "重启续传", "video", lesson);
    String loc = new Tus(teacher).start(id, "restart.mp4", file.length);
    int first = PART + 1000;
    assertEquals(204, new Tus(teacher).patch(loc, 0, Arrays.copyOfRange(file, 0, first)).status());
    platform.close();
    platform = Platform.start(options).await();
    teacher = Api.login(platform.port(), "up.teacher", "password-up.teacher");
    Tus tus = new Tus(teacher);
    assertEquals(first, tus.offset(loc));
    assertEquals(204, tus.patch(loc, first, Arrays.copyOfRange(file, first, file.length)).status());
    assertEquals(sha256(file), teacher.get("/api/v1/resources/" + id).json().getJsonObject("file").getString("sha256"));
    assertArrayEquals(file, download(id));
  }

  @Test
  void executablesAndMislabelledFilesAre415WithTheAllowedTypes() {
    byte[] exe = new byte[4096];
    exe[0] = 'M';
    exe[1] = 'Z';
    UUID courseware = Library.draft(teacher, "课件", "courseware", lesson);
    Api.Response byName = new Tus(teacher).create(courseware, "setup.exe", exe.length);
    assertEquals(415, byName.status(), byName.body());
    assertTrue(byName.json().getJsonObject("error").getJsonObject("details").getJsonArray("allowed").contains("application/pdf"));

    Api.Response byContent = new Tus(teacher).upload(courseware, "slides.pdf", exe);
    assertEquals(415, byContent.status(), byContent.body());
    assertEquals("unsupported_file_type", byContent.errorCode());
    assertTrue(teacher.get("/api/v1/resources/" + courseware).json().getValue("file") == null, "nothing attached");

    UUID video = Library.draft(teacher, "视频", "video", lesson);
    Api.Response textAsMp4 = new Tus(teacher).upload(video, "lesson.mp4", "这不是视频，只是一段文字。".repeat(20).getBytes(StandardCharsets.UTF_8));
    assertEquals(415, textAsMp4.status(), textAsMp4.body());
  }

  @Test
  void otherPeopleCannotTouchAnUploadAndDeleteEndsIt() {
    UUID id = Library.draft(teacher, "d", "video", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.start(id, "d.mp4", 100);
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    assertEquals(404, new Tus(admin).head(loc).status());
    assertEquals(403, new Tus(admin).create(id, "x.mp4", 10).status(), "a reviewer sees the draft but may not fill it");
    assertEquals(204, teacher.request("DELETE", loc, null, "Tus-Resumable", "1.0.0").status());
    assertEquals(404, tus.head(loc).status());
    assertEquals(400, tus.create(id, "zero.mp4", 0).status());
  }

  @Test
  void unfinishedUploadsExpire() {
    UUID id = Library.draft(teacher, "过期", "video", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.start(id, "old.mp4", 10 * 1024);
    assertEquals(204, tus.patch(loc, 0, Arrays.copyOfRange(mp4Like(10 * 1024), 0, 4096)).status());
    String uploadId = loc.substring(loc.lastIndexOf('/') + 1);
    platform.pool().preparedQuery("update uploads set expires_at = now() - interval '1 hour' where id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(uploadId))).await();
    assertEquals(410, tus.patch(loc, 4096, new byte[10]).status());
    assertTrue(platform.uploads().expire().await() >= 1);
    assertEquals(404, tus.head(loc).status());
  }

  /** A recording whose length never came (its page went away) keeps what arrived at expiry; an empty one is let go. */
  @Test
  void anUnfinishedRecordingIsKeptAtExpiryNotDropped() throws Exception {
    UUID id = Library.draft(teacher, "课堂实录 未完", "recording", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.createDeferred(id, "class-recording.webm").header("Location");
    byte[] webm = LiveTest.webmRecording();
    int kept = webm.length / 2;
    assertEquals(204, tus.patch(loc, 0, Arrays.copyOfRange(webm, 0, kept)).status());
    UUID empty = Library.draft(teacher, "课堂实录 空", "recording", lesson);
    String emptyLoc = tus.createDeferred(empty, "class-recording.webm").header("Location");
    for (String l : java.util.List.of(loc, emptyLoc)) {
      platform.pool().preparedQuery("update uploads set expires_at = now() - interval '1 hour' where id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(l.substring(l.lastIndexOf('/') + 1)))).await();
    }
    assertTrue(platform.uploads().expire().await() >= 2);
    Api.Response head = tus.head(loc);
    assertEquals(200, head.status());
    assertEquals(String.valueOf(kept), head.header("Upload-Length"));
    assertEquals(kept, teacher.get("/api/v1/resources/" + id).json().getJsonObject("file").getLong("size"));
    assertEquals(404, tus.head(emptyLoc).status());
  }

  /**
   * Resumes from the offset the server reports, retrying (bounded) while it still finishes the dropped request
   * (409 upload_busy or offset_mismatch), as a tus client does after a network error.
   */
  static Api.Response resumeFromServerOffset(Tus tus, String loc, byte[] file) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Api.Response last = null;
    while (System.nanoTime() < deadline) {
      long offset = tus.offset(loc);
      assertTrue(offset <= file.length);
      last = tus.patch(loc, offset, Arrays.copyOfRange(file, (int) offset, file.length));
      if (last.status() != 409) {
        return last;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    return last;
  }

  static byte[] download(UUID id) throws Exception {
    return download(platform.port(), "up.teacher", id);
  }

  static byte[] download(int port, String username, UUID id) throws Exception {
    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/resources/" + id + "/file")).header("Authorization", "Bearer " + Api.loginToken(port, username,
        "password-" + username)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r.body();
  }
}
