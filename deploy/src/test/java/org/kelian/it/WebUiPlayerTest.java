package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The player page in headless Chromium: a transcoded lesson plays through hls.js (time advances), a quality chosen
 * by hand is the one that plays, speed changes, and the page resumes where this teacher stopped.
 */
class WebUiPlayerTest {

  @RegisterExtension
  static final Browser browser = new Browser();

  static Platform platform;
  static Api teacher;
  static UUID lessonVideo;
  static UUID broken;

  @BeforeAll
  static void start() throws Exception {
    platform = TestPlatform.start("webuiplayer");
    browser.base("http://127.0.0.1:" + platform.port());
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "li.teacher", "teacher", "371321");
    String lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
    lessonVideo = Library.draft(teacher, "长方形和正方形 课例", "video", lesson);
    byte[] clip = Files.readAllBytes(Clips.pattern("player-lesson.mp4", 1280, 720, 16, false));
    assertEquals(204, new Tus(teacher).upload(lessonVideo, "课例.mp4", clip).status());
    assertEquals("ready", MediaWait.settled(teacher, lessonVideo, Duration.ofMinutes(3)).getString("status"));
    broken = Library.draft(teacher, "坏掉的录像", "recording", lesson);
    byte[] noise = new byte[50_000];
    new java.util.Random(5).nextBytes(noise);
    assertEquals(204, new Tus(teacher).upload(broken, "录像.mp4", noise).status());
    assertEquals("failed", MediaWait.settled(teacher, broken, Duration.ofMinutes(2)).getString("status"));
  }

  static void signIn(String username, String password) {
    browser.reset();
    browser.signIn(username, password, By.id("whoami"));
  }

  @Test
  void anAdminSeesWhyAJobFailedAndRetriesIt() {
    signIn("admin", TestPlatform.ADMIN_PASSWORD);
    browser.open("#/jobs?status=failed");
    browser.visible(By.cssSelector("#jobs-table tr[data-job]"));
    String row = browser.driver().findElement(By.cssSelector("#jobs-table tbody")).getText();
    assertTrue(row.contains("坏掉的录像") && row.contains("这不是可以播放的音视频文件"), row);
    browser.click(By.xpath("//tr[td/a[text()='坏掉的录像']]//button"));
    browser.visible(By.cssSelector(".notice"));
    assertTrue(browser.driver().findElement(By.cssSelector(".notice")).getText().contains("已重新排队"));
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  private static double number(String script) {
    Object v = browser.driver().executeScript(script);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  private static void waitFor(String what, java.util.function.BooleanSupplier ok) {
    new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).withMessage(what).until(d -> ok.getAsBoolean());
  }

  @Test
  void aLessonPlaysSwitchesQualityAndResumes() {
    signIn("li.teacher", "password-li.teacher");

    browser.open("#/resource/" + lessonVideo);
    browser.visible(By.id("player"));
    waitFor("hls.js loaded the master playlist with three levels",
        () -> number("return window.kelianPlayer ? window.kelianPlayer.levels.length : 0") == 3);
    browser.click(By.id("player-play"));
    waitFor("time advances", () -> number("return document.getElementById('player').currentTime") > 1.5);

    // A forced rung: 360p is chosen by hand, and 360p is what plays next.
    new Select(browser.visible(By.id("player-quality"))).selectByVisibleText("360p");
    waitFor("the 360p rung is playing", () -> "360".equals(browser.driver().executeScript(
        "return document.getElementById('player').dataset.height")));
    double at = number("return document.getElementById('player').currentTime");
    waitFor("and playback goes on", () -> number("return document.getElementById('player').currentTime") > at + 1);

    new Select(browser.visible(By.id("player-speed"))).selectByValue("2");
    assertEquals(2.0, number("return document.getElementById('player').playbackRate"));

    // Keyboard: K pauses, → jumps 5 s, < slows down one step.
    browser.driver().findElement(By.cssSelector(".player")).sendKeys("k");
    waitFor("K pauses", () -> Boolean.TRUE.equals(browser.driver().executeScript("return document.getElementById('player').paused")));
    double before = number("return document.getElementById('player').currentTime");
    browser.driver().findElement(By.cssSelector(".player")).sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
    assertEquals(before + 5, number("return document.getElementById('player').currentTime"), 0.5);
    browser.driver().findElement(By.cssSelector(".player")).sendKeys("<");
    assertEquals(1.5, number("return document.getElementById('player').playbackRate"));

    // Hovering the seek bar shows the thumbnail of that moment, a tile of a sprite sheet.
    org.openqa.selenium.WebElement seek = browser.visible(By.id("player-seek"));
    waitFor("thumbnail shown on hover", () -> {
      new org.openqa.selenium.interactions.Actions(browser.driver()).moveToElement(seek, seek.getSize().getWidth() / 4, 0).perform();
      return Boolean.FALSE.equals(browser.driver().executeScript("return document.querySelector('.player-thumb').hidden"));
    });
    assertTrue(String.valueOf(browser.driver().executeScript("return document.querySelector('.player-thumb').style.backgroundImage"))
        .contains("sprite-001.jpg"));

    // Stop at about 9 s; the position is kept on the server and the next visit resumes there.
    browser.driver().executeScript("var v = document.getElementById('player'); v.pause(); v.currentTime = 9;");
    waitFor("the position is saved", () -> {
      browser.driver().executeScript("document.getElementById('player').dispatchEvent(new Event('pause'))");
      JsonObject p = teacher.get("/api/v1/resources/" + lessonVideo + "/playback").json();
      return Math.abs(p.getDouble("positionSeconds") - 9) < 0.5;
    });
    browser.open("#/resource/" + lessonVideo);
    browser.visible(By.id("player"));
    waitFor("the page resumes at 9 s", () -> Math.abs(number("return document.getElementById('player').currentTime") - 9) < 0.5);
    assertTrue(browser.driver().findElement(By.cssSelector(".player-status")).getText().contains("继续"));
  }
}
