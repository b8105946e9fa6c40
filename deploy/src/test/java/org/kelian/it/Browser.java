package org.kelian.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for page tests, driven by the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}): nothing is downloaded, so it works without internet. Register it with
 * {@code @RegisterExtension static final Browser browser = new Browser();} — the browser starts on first use
 * with a fresh profile, a failed test leaves a screenshot and the browser console in {@code target/browser/},
 * and it quits after the class.
 *
 * <p>Waits are explicit ({@link WebDriverWait} on a condition), never sleeps.
 */
public final class Browser implements TestWatcher, AfterAllCallback {

  static final String CHROMIUM = System.getProperty("kelian.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("kelian.chromedriver", "/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Path OUT = Path.of("target", "browser");

  private final List<String> extraArguments;
  private ChromeDriver driver;
  private Path profile;
  private String base;

  /** A browser with extra Chromium switches, e.g. fake camera and microphone for the class room. */
  public Browser(String... extraArguments) {
    this.extraArguments = List.of(extraArguments);
  }

  /** The platform's root URL, e.g. {@code http://127.0.0.1:PORT}; routes are opened relative to it. */
  public Browser base(String url) {
    this.base = url;
    return this;
  }

  public synchronized ChromeDriver driver() {
    if (driver == null) {
      if (!Files.isExecutable(Path.of(CHROMEDRIVER)) || !Files.exists(Path.of(CHROMIUM))) {
        throw new IllegalStateException("Chromium not found at " + CHROMIUM + " / " + CHROMEDRIVER
            + ": apt-get install chromium chromium-driver");
      }
      // With the driver named, Selenium Manager has nothing to look up (and there is no internet to do it).
      System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
      try {
        profile = Files.createTempDirectory("kelian-chromium-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ChromeOptions o = new ChromeOptions();
      o.setBinary(CHROMIUM);
      o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1280,900", "--user-data-dir=" + profile);
      o.addArguments(extraArguments);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      o.setCapability("goog:loggingPrefs", logs);
      driver = new ChromeDriver(o);
    }
    return driver;
  }

  /**
   * Loads the web UI afresh at a hash route, e.g. {@code open("#/login")}; "" opens the start page. Going
   * through about:blank makes it a real page load even when only the hash differs.
   */
  public void open(String route) {
    driver().get("about:blank");
    driver().get(base + "/" + route);
  }

  /** Forgets the session cookie and everything the pages remembered (language, unfinished uploads). */
  public void reset() {
    driver().get(base + "/");
    driver().manage().deleteAllCookies();
    driver().executeScript("window.localStorage.clear(); window.sessionStorage.clear();");
  }

  public WebElement visible(By by) {
    return new WebDriverWait(driver(), WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  /** Waits until the element shows exactly this text (after trimming) and returns it. */
  public WebElement text(By by, String expected) {
    new WebDriverWait(driver(), WAIT).withMessage(() -> by + " should read \"" + expected + "\" but reads \""
        + currentText(by) + "\"").until(d -> expected.equals(currentText(by)));
    return driver().findElement(by);
  }

  private String currentText(By by) {
    try {
      List<WebElement> found = driver().findElements(by);
      return found.isEmpty() ? null : found.get(0).getText().strip();
    } catch (StaleElementReferenceException rerendered) {
      return null;
    }
  }

  public void type(By by, String text) {
    WebElement e = visible(by);
    e.clear();
    e.sendKeys(text);
  }

  /** Clicks once the element is clickable; a page that re-renders it meanwhile (progress updates) is retried. */
  public void click(By by) {
    new WebDriverWait(driver(), WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement e = ExpectedConditions.elementToBeClickable(by).apply(d);
      if (e == null) {
        return false;
      }
      e.click();
      return true;
    });
  }

  /** A PNG of the current page under target/browser/. */
  /** The navigation link of a page of the app. */
  public static By nav(String route) {
    return By.cssSelector("#nav a[href='#/" + route + "']");
  }

  /** Signs in through the login page and waits for {@code landed}, which shows the app is ready. */
  public void signIn(String username, String password, By landed) {
    open("#/login");
    type(By.id("login-username"), username);
    type(By.id("login-password"), password);
    click(By.id("login-submit"));
    visible(landed);
  }

  /** Picks the option with this value once the list holds it (lists load after the choice they depend on). */
  public void choose(By select, String value) {
    new org.openqa.selenium.support.ui.WebDriverWait(driver(), WAIT).withMessage(() -> select + " should offer " + value)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> {
          java.util.List<WebElement> found = d.findElements(select);
          if (found.isEmpty() || found.get(0).findElements(By.cssSelector("option[value='" + value + "']")).isEmpty()) {
            return false;
          }
          new org.openqa.selenium.support.ui.Select(found.get(0)).selectByValue(value);
          return true;
        });
    new org.openqa.selenium.support.ui.WebDriverWait(driver(), WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe(select, "value", value));
  }

  public Path screenshot(String name) {
    try {
      Files.createDirectories(OUT);
      Path file = OUT.resolve(name + ".png");
      Files.write(file, driver().getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (driver == null) {
      return;
    }
    String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName().replaceAll("[^A-Za-z0-9_-]", "");
    try {
      screenshot(name);
      String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
          .map(Object::toString).collect(Collectors.joining("\n"));
      Files.writeString(OUT.resolve(name + "-console.txt"), driver.getCurrentUrl() + "\n" + console, StandardCharsets.UTF_8);
    } catch (RuntimeException | IOException e) {
      cause.addSuppressed(e); // the evidence is lost, not the test's own failure
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      profile = null;
    }
  }
}
