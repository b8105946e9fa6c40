package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** The web UI in a real browser against a real platform: signing in, the two languages, the server's errors. */
class WebUiLoginTest {

  @RegisterExtension
  static final Browser browser = new Browser();

  static Platform platform;

  static final By TITLE = By.id("login-title");
  static final By USERNAME = By.id("login-username");
  static final By PASSWORD = By.id("login-password");
  static final By SUBMIT = By.id("login-submit");
  static final By MESSAGE = By.cssSelector("#login-message .notice.error");
  static final By LANG = By.id("lang-toggle");
  static final By NAV_CATALOG = By.cssSelector("#nav a[href='#/catalog']");
  static final By NAV_USERS = By.cssSelector("#nav a[href='#/users']");
  static final By WHOAMI = By.id("whoami");

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("webuilogin");
    browser.base("http://127.0.0.1:" + platform.port());
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  /** What the API itself answers to a wrong password in a language: the page must show exactly that. */
  static String wrongPasswordMessage(String language) {
    Api.Response r = new Api(platform.port(), null).post("/api/v1/auth/login",
        new JsonObject().put("username", "admin").put("password", "not-the-password"), "Accept-Language", language);
    assertEquals(401, r.status(), r.body());
    return r.json().getJsonObject("error").getString("message");
  }

  @BeforeEach
  void fresh() {
    browser.reset();
  }

  static void signInAsAdmin() {
    browser.open("#/login");
    browser.type(USERNAME, "admin");
    browser.type(PASSWORD, TestPlatform.ADMIN_PASSWORD);
    browser.click(SUBMIT);
    browser.visible(NAV_CATALOG);
  }

  void signIn(String password) {
    browser.type(USERNAME, "admin");
    browser.type(PASSWORD, password);
    browser.click(SUBMIT);
  }

  @Test
  void signInInChineseSwitchToEnglishAndSeeTheServersErrors() {
    // Not signed in: the start page is the login form, in Chinese by default.
    browser.open("");
    browser.text(TITLE, "登录");
    assertEquals("zh-CN", browser.driver().findElement(By.tagName("html")).getAttribute("lang"));
    browser.screenshot("login-zh");

    signIn("not-the-password");
    browser.text(MESSAGE, wrongPasswordMessage("zh-CN"));
    browser.screenshot("login-wrong-password-zh");

    signIn(TestPlatform.ADMIN_PASSWORD);
    browser.text(NAV_CATALOG, "目录");
    browser.text(NAV_USERS, "用户"); // admin links show for the admin
    browser.visible(WHOAMI);
    browser.screenshot("catalog-zh");

    // English: labels change at once and the choice survives a reload (with the session cookie).
    browser.click(LANG);
    browser.text(NAV_CATALOG, "Catalog");
    browser.text(LANG, "中文");
    browser.driver().navigate().refresh();
    browser.text(NAV_CATALOG, "Catalog");
    assertEquals("en", browser.driver().findElement(By.tagName("html")).getAttribute("lang"));

    // Signed out, the form is English and so is the server's message (the page sends Accept-Language: en).
    browser.click(By.id("logout"));
    browser.text(TITLE, "Sign in");
    signIn("not-the-password");
    browser.text(MESSAGE, wrongPasswordMessage("en"));
    browser.screenshot("login-wrong-password-en");

    // And back: the login page follows the switch too.
    browser.click(LANG);
    browser.text(TITLE, "登录");
  }

  @Test
  void theUiIsServedBesideTheApiWithoutShadowingIt() {
    Api anonymous = new Api(platform.port(), null);
    Api.Response index = anonymous.get("/");
    assertEquals(200, index.status());
    assertTrue(index.header("Content-Type").startsWith("text/html"), index.header("Content-Type"));
    assertTrue(index.body().contains("js/app.js"));
    assertEquals("no-cache", index.header("Cache-Control"), "not fingerprinted, so always revalidated");
    String lastModified = index.header("Last-Modified");
    assertEquals(304, anonymous.get("/", "If-Modified-Since", lastModified).status());
    assertEquals(200, anonymous.get("/js/tus.js").status());
    assertEquals("unauthenticated", anonymous.get("/api/v1/auth/me").errorCode());
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    assertEquals("not_found", admin.get("/api/v1/no-such-endpoint").errorCode(), "the API keeps its JSON 404");
    assertEquals(200, anonymous.get("/health").status());
  }

  /** The one place server HTML is used: only <em> may become an element; the rest stays text. */
  @Test
  void searchHighlightsAllowOnlyEm() {
    browser.open("#/login");
    browser.visible(TITLE);
    Object html = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "import('/js/dom.js').then(m => { const p = document.createElement('p');"
            + "p.appendChild(m.highlight('<em>分数</em>的意义 &amp; <img src=x onerror=alert(1)> &lt;b&gt; <em>x'));"
            + "done(p.innerHTML); });");
    assertEquals("<em>分数</em>的意义 &amp; &lt;img src=x onerror=alert(1)&gt; &lt;b&gt; <em>x</em>", html);
  }

  @Test
  void adminCreatesAUserOnTheUsersPage() {
    // unique per run: the test database outlives a run when target/ is kept
    String username = "zhou." + Long.toString(System.nanoTime(), 36);
    signInAsAdmin();
    browser.click(NAV_USERS);
    browser.type(By.id("user-username"), username);
    browser.type(By.id("user-displayName"), "周敏");
    browser.type(By.id("user-password"), "short");
    browser.click(By.id("user-create"));
    Api.Response weak = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD).post("/api/v1/users",
        new JsonObject().put("username", username).put("displayName", "周敏").put("password", "short")
            .put("roles", new JsonArray().add("teacher")));
    browser.text(By.cssSelector(".page-users .notice.error"), weak.json().getJsonObject("error").getString("message"));
    browser.type(By.id("user-password"), "zhou-min-password");
    browser.click(By.id("user-create"));
    browser.text(By.cssSelector(".page-users .notice.ok"), "已创建用户 " + username + "。");
    browser.screenshot("users-zh");
    Api.login(platform.port(), username, "zhou-min-password");
  }

  /**
   * Every page renders, and where its API is not there (yet) or fails, it says so instead of going blank:
   * no script error reaches the console, only the failed requests themselves.
   */
  @Test
  void everyPageRendersAndFailsGracefully() {
    signInAsAdmin();
    Map<String, String> headings = new LinkedHashMap<>();
    headings.put("catalog", "教材目录");
    headings.put("search", "搜索资源");
    headings.put("upload", "上传资源");
    headings.put("mine", "我的资源");
    headings.put("review", "审核队列");
    headings.put("coverage", "资源覆盖率");
    headings.put("users", "用户管理");
    headings.forEach((route, heading) -> {
      browser.open("#/" + route);
      browser.text(By.cssSelector(".page-" + route + " h1"), heading);
      browser.screenshot("page-" + route);
    });
    browser.open("#/resource/" + UUID.randomUUID());
    browser.visible(By.cssSelector(".page-resource .notice.error"));
    List<String> scriptErrors = browser.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .filter(m -> !m.contains("Failed to load resource"))
        .toList();
    assertEquals(List.of(), scriptErrors);
  }
}
