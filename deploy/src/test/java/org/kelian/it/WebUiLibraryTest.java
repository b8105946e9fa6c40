package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The course library through its pages, in a real headless Chromium against a real platform: a teacher finds a
 * lesson's resource (Chinese and pinyin initials), uploads a file to a lesson chosen in the page, submits it; an
 * admin approves it in the review queue; the teacher finds it. An interrupted upload resumes where it stopped.
 * The API is used for setup and to check what the server holds, never for the steps under test.
 */
class WebUiLibraryTest {

  @RegisterExtension
  static final Browser browser = new Browser();

  static final String[] MATH3 = {"小学", "数学", "人教版", "三年级", "上册"};

  static Platform platform;
  static Api admin;
  static Api teacher;
  static UUID seeded;
  static Path files;
  /** Between the browser and the platform: slows the browser's uploads as a village link does. */
  static TcpProxy link;

  @BeforeAll
  static void start() throws IOException {
    platform = TestPlatform.start("webuilibrary");
    link = new TcpProxy("127.0.0.1", platform.port());
    browser.base("http://127.0.0.1:" + link.port());
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "wang.teacher", "rural_teacher", "371321");
    seeded = Library.published(teacher, admin, "分数的初步认识 微课", "video", unit("8 分数的初步认识"), "分数.mp4",
        UploadTest.mp4Like(64 * 1024));
    files = Files.createTempDirectory("kelian-webui-files-");
  }

  @AfterAll
  static void stop() throws IOException {
    link.close();
    platform.close();
    try (var left = Files.list(files)) {
      for (Path p : left.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(files);
  }

  @BeforeEach
  void fresh() {
    browser.reset();
  }

  static String unit(String title) {
    return Library.node(admin, CoverageTest.append(MATH3, title));
  }

  // --- the journey

  @Test
  void aTeacherFindsUploadsAndSubmitsAnAdminApprovesAndTheTeacherFindsIt() throws Exception {
    signIn("wang.teacher", "password-wang.teacher");

    // (a) find the seeded resource by its lesson, in Chinese and by pinyin initials, and open it
    search("分数的初步认识");
    WebElement hit = hitTitled("分数的初步认识 微课");
    assertTrue(!hit.findElements(By.tagName("em")).isEmpty(), "the match is highlighted in the title");
    browser.visible(By.cssSelector(".facets .facet"));
    browser.screenshot("library-search-zh");
    search("fsdcbrs");
    hitTitled("分数的初步认识 微课").click();
    browser.text(By.id("resource-title"), "分数的初步认识 微课");
    browser.visible(By.xpath("//dd[normalize-space()='分数.mp4（64 KB）']"));
    browser.screenshot("library-resource-zh");

    // (b) upload a real file to a lesson picked in the catalog tree, watch it complete, submit
    Path pdf = files.resolve("长方形和正方形.pdf");
    Files.write(pdf, Library.pdf("长方形和正方形"));
    String unitId = unit("7 长方形和正方形");
    String title = "长方形和正方形 复习课件";
    browser.click(nav("upload"));
    browser.type(By.id("upload-title"), title);
    new Select(browser.visible(By.id("upload-type"))).selectByVisibleText("课件");
    pickInTree(List.of(Library.node(admin, "小学"), Library.node(admin, "小学", "数学"), Library.node(admin, "小学", "数学", "人教版"),
        Library.node(admin, "小学", "数学", "人教版", "三年级"), Library.node(admin, MATH3)), unitId);
    browser.text(By.id("upload-node-path"), "小学 › 数学 › 人教版 › 三年级 › 上册 › 7 长方形和正方形");
    browser.driver().findElement(By.id("upload-file")).sendKeys(pdf.toAbsolutePath().toString());
    browser.click(By.id("upload-submit"));
    waitForPercent(100);
    browser.text(By.id("upload-status"), "上传完成！");
    browser.screenshot("library-upload-done-zh");
    browser.click(By.linkText("查看资源并提交审核"));
    browser.text(By.id("resource-title"), title);
    browser.visible(By.xpath("//dd[starts-with(normalize-space(), '长方形和正方形.pdf（')]"));
    browser.click(By.id("resource-submit"));
    browser.text(By.cssSelector(".badge.status-submitted"), "待审核");
    UUID uploaded = UUID.fromString(currentId());
    JsonObject stored = teacher.get("/api/v1/resources/" + uploaded).json();
    assertEquals("submitted", stored.getString("status"));
    assertEquals(UploadTest.sha256(Files.readAllBytes(pdf)), stored.getJsonObject("file").getString("sha256"));
    assertEquals(unitId, stored.getJsonArray("catalogNodes").getJsonObject(0).getString("id"));
    browser.click(nav("mine"));
    browser.visible(By.linkText(title));
    browser.screenshot("library-mine-zh");
    signOut();

    // (c) the admin approves it in the review queue
    signIn("admin", TestPlatform.ADMIN_PASSWORD);
    browser.click(nav("review"));
    By row = By.xpath("//li[contains(@class,'row')][.//a[normalize-space()='" + title + "']]");
    browser.visible(row);
    browser.screenshot("library-review-zh");
    browser.click(By.xpath("//li[contains(@class,'row')][.//a[normalize-space()='" + title + "']]//button[normalize-space()='通过']"));
    browser.text(By.cssSelector(".page-review .notice.ok"), "《" + title + "》已发布。");
    assertEquals("published", admin.get("/api/v1/resources/" + uploaded).json().getString("status"));
    signOut();

    // (d) the teacher finds it by search, and under its unit in the catalog
    signIn("wang.teacher", "password-wang.teacher");
    search("长方形 复习");
    hitTitled(title);
    browser.open("#/catalog?node=" + unitId);
    browser.visible(By.xpath("//div[contains(@class,'detail')]//a[contains(@class,'hit-title')][normalize-space()='" + title + "']"));
    browser.screenshot("library-catalog-zh");
    browser.click(By.id("catalog-more"));
    browser.text(By.cssSelector(".chips .chip"), "目录：小学 › 数学 › 人教版 › 三年级 › 上册 › 7 长方形和正方形 ×");
    assertEquals(title, hitTitled(title).getText());
    assertEquals(1, browser.driver().findElements(By.cssSelector(".hits .hit")).size(), "only what is under the unit");
    browser.screenshot("library-search-node-zh");

    // The same page in English: labels switch, the catalog's own titles stay as they are.
    browser.click(By.id("lang-toggle"));
    browser.text(By.cssSelector(".page-search h1"), "Search resources");
    browser.text(By.cssSelector(".chips .chip"), "In: 小学 › 数学 › 人教版 › 三年级 › 上册 › 7 长方形和正方形 ×");
    browser.screenshot("library-search-node-en");
  }

  /**
   * A village link: uploads crawl. The teacher pauses half-way and reloads the page; picking the same file again
   * continues the same tus upload, and the server ends with exactly the local file.
   */
  @Test
  void anInterruptedUploadResumesAfterPauseAndReload() throws Exception {
    byte[] video = UploadTest.mp4Like(32 * 1024 * 1024);
    Path file = files.resolve("倍的认识-课堂实录.mp4");
    Files.write(file, video);
    String unitId = unit("5 倍的认识");
    signIn("wang.teacher", "password-wang.teacher");
    browser.open("#/upload?node=" + unitId);
    browser.text(By.id("upload-node-path"), "小学 › 数学 › 人教版 › 三年级 › 上册 › 5 倍的认识");
    browser.type(By.id("upload-title"), "倍的认识 课堂实录");
    new Select(browser.visible(By.id("upload-type"))).selectByVisibleText("课堂实录");
    browser.driver().findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());

    // The link (not the browser: its network emulation did not hold back uploads reliably) carries 1.5 MB/s: the
    // file takes over twenty seconds, so the pause lands long before the end even when the machine is busy.
    link.throttle(1536 * 1024);
    Tus tus = new Tus(teacher);
    try {
      browser.click(By.id("upload-submit"));
      // The server has acknowledged the first 8 MiB request, so part of the file is kept for certain.
      waitUntil("the server has the first 8 MiB", () -> {
        String url = uploadUrlOfPage();
        return url != null && tus.offset(URI.create(url).getPath()) >= 8 * 1024 * 1024;
      });
      browser.screenshot("library-upload-progress-zh");
      browser.click(By.id("upload-toggle"));
      browser.text(By.id("upload-status"), "已暂停。");
    } finally {
      link.throttle(0);
    }
    String location = URI.create(uploadUrlOfPage()).getPath();
    long kept = tus.offset(location);
    assertTrue(kept >= 8 * 1024 * 1024 && kept < video.length, "the server kept what was sent: " + kept);
    UUID resource = UUID.fromString(resourceOfUploadPage());

    // The reload loses the page's upload; the unfinished list remembers it, and the same file continues it.
    browser.driver().navigate().refresh();
    browser.click(By.xpath("//li[contains(@class,'pending')]/a[contains(normalize-space(), '倍的认识 课堂实录')]"));
    browser.visible(By.xpath("//h2[normalize-space()='为资源《倍的认识 课堂实录》上传文件']"));
    browser.driver().findElement(By.id("upload-file")).sendKeys(file.toAbsolutePath().toString());
    browser.click(By.cssSelector(".page-upload form button[type=submit]"));
    waitForPercent(100);
    browser.text(By.id("upload-status"), "上传完成！");

    assertEquals(video.length, tus.offset(location), "the same upload was continued, not a new one started");
    JsonObject stored = teacher.get("/api/v1/resources/" + resource).json();
    assertEquals(UploadTest.sha256(video), stored.getJsonObject("file").getString("sha256"));
    assertEquals(video.length, stored.getJsonObject("file").getLong("size"));
    browser.click(By.linkText("查看资源并提交审核"));
    browser.visible(By.xpath("//dd[starts-with(normalize-space(), '倍的认识-课堂实录.mp4（32 MB）')]"));
  }

  /** Coverage filters are catalog titles, as the API takes them; the CSV link carries the same filters. */
  @Test
  void coverageFiltersByTitlesAndTheCsvCarriesThem() {
    signIn("admin", TestPlatform.ADMIN_PASSWORD);
    browser.click(nav("coverage"));
    for (String[] level : new String[][] {{"stage", "小学"}, {"subject", "数学"}, {"edition", "人教版"}, {"grade", "三年级"}}) {
      new Select(browser.visible(By.cssSelector("select[data-level='" + level[0] + "']"))).selectByVisibleText(level[1]);
    }
    browser.visible(By.cssSelector("select[data-level='volume']"));
    String query = "stage=小学&subject=数学&edition=人教版&grade=三年级";
    JsonObject expected = admin.get("/api/v1/reports/coverage?" + encode(query)).json();
    assertEquals(1, expected.getJsonArray("volumes").size());
    JsonObject volume = expected.getJsonArray("volumes").getJsonObject(0);
    assertTrue(volume.getInteger("covered") >= 1, volume.encode());
    browser.text(By.cssSelector(".coverage-volume h2"), "小学 / 数学 / 人教版 / 三年级 / 上册");
    browser.text(By.cssSelector(".coverage-volume .coverage-line .muted"),
        volume.getInteger("lessons") + " 课中 " + volume.getInteger("covered") + " 课有资源");
    assertEquals(volume.getJsonArray("units").size(), browser.driver().findElements(By.cssSelector(".coverage-units tr")).size());
    browser.screenshot("library-coverage-zh");

    String csv = URLDecoder.decode(browser.driver().findElement(By.id("coverage-csv")).getAttribute("href"), StandardCharsets.UTF_8);
    assertTrue(csv.endsWith("/api/v1/reports/coverage?format=csv&" + query), csv);
    URI link = URI.create(browser.driver().findElement(By.id("coverage-csv")).getAttribute("href"));
    Api.Response file = admin.get(link.getRawPath() + "?" + link.getRawQuery());
    assertEquals(200, file.status());
    assertTrue(file.header("Content-Type").startsWith("text/csv"), file.header("Content-Type"));
    assertEquals(volume.getJsonArray("units").size() + 1, file.body().split("\r\n").length, file.body());

    browser.click(nav("users"));
    browser.visible(By.cssSelector("#user-table tr[data-username='wang.teacher']"));
    browser.screenshot("library-users-zh");
  }

  // --- steps

  static By nav(String route) {
    return Browser.nav(route);
  }


  static void signIn(String username, String password) {
    browser.signIn(username, password, nav("catalog"));
  }


  static void signOut() {
    browser.click(By.id("logout"));
    browser.text(By.id("login-title"), "登录");
  }

  /** Searches with the page's box; waits for the page of this query, not the one it replaces. */
  static void search(String text) {
    By page = By.cssSelector("section.page-search");
    if (browser.driver().findElements(page).isEmpty()) {
      browser.click(nav("search"));
    }
    WebElement before = browser.visible(page);
    browser.type(By.id("search-q"), text);
    browser.click(By.cssSelector("form.searchbar button[type=submit]"));
    new WebDriverWait(browser.driver(), Browser.WAIT).until(ExpectedConditions.stalenessOf(before));
    browser.visible(By.id("search-total"));
  }

  static WebElement hitTitled(String title) {
    return browser.visible(By.xpath("//a[contains(@class,'hit-title')][normalize-space()='" + title + "']"));
  }

  /** Opens each ancestor's branch in the upload page's tree, then picks the node. */
  static void pickInTree(List<String> ancestors, String nodeId) {
    for (String id : ancestors) {
      browser.click(By.cssSelector(".picker li[data-id='" + id + "'] > .tree-row > .tree-toggle"));
    }
    browser.click(By.cssSelector(".picker li[data-id='" + nodeId + "'] > .tree-row > .tree-label"));
  }

  /** Read in one script: the card is redrawn on every progress event, so an element found first may be gone next. */
  static int percent() {
    Object n = browser.driver().executeScript("const bar = document.querySelector('#upload-progress [role=progressbar]');"
        + " return bar ? Number(bar.getAttribute('aria-valuenow')) : -1;");
    return ((Number) n).intValue();
  }

  static void waitForPercent(int expected) {
    waitUntil("upload at " + expected + "%", () -> percent() == expected);
  }

  static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(60)).withMessage(() -> what + "; now " + percent() + "%")
        .until(d -> condition.getAsBoolean());
  }

  /** Bytes per second the page may send; page loads stay fast. */
  /** The tus URL of the upload the page remembers, or null before it has one. */
  static String uploadUrlOfPage() {
    return (String) browser.driver().executeScript(
        "for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i);"
            + " if (k.indexOf('kelian.tus:') === 0) { return JSON.parse(localStorage.getItem(k)).url; } } return null;");
  }

  static String currentId() {
    Matcher m = Pattern.compile("#/resource/([0-9a-f-]{36})").matcher(browser.driver().getCurrentUrl());
    assertTrue(m.find(), browser.driver().getCurrentUrl());
    return m.group(1);
  }

  static String resourceOfUploadPage() {
    String href = browser.driver().findElement(By.linkText("查看资源并提交审核")).getAttribute("href");
    Matcher m = Pattern.compile("#/resource/([0-9a-f-]{36})").matcher(href);
    assertTrue(m.find(), href);
    return m.group(1);
  }

  static String encode(String query) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      out.append(out.length() == 0 ? "" : "&").append(kv[0]).append('=').append(java.net.URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }
}
