package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;

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
}
