package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The auto-schedule wizard, the teachers page and the CSV import page in headless Chromium against a real
 * platform: the admin chooses the term, enters the demand, follows the run and reviews the proposal (the page
 * shows the figures the API gives), applies it and finds the sessions on the timetable; a classes CSV is checked
 * (bad row, then counts) and imported; a teacher's subjects and weekly limit are edited. Setup and verification
 * go through the API; the steps under test go through the pages.
 */
class WebUiAutoScheduleTest {

  @RegisterExtension
  static final Browser browser = new Browser();

  /** Planning, five seconds of solving, and a loaded machine. */
  static final Duration PROPOSAL_WAIT = Duration.ofSeconds(180);

  static Platform platform;
  static Api admin;
  static String urban;
  static String rural;
  static String term;
  static String yin;
  static String mei;
  static String grade3;
  static String grade4;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("webuiauto");
    browser.base("http://127.0.0.1:" + platform.port());
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    urban = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "城关一小").put("kind", "urban").put("regionCode", "371321"));
    rural = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "后村小学").put("kind", "rural").put("regionCode", "371321101"));
    bells(urban, "08:00-08:40", "08:50-09:30", "10:00-10:40", "10:50-11:30");
    bells(rural, "08:00-08:45", "08:55-09:40", "10:00-10:45", "10:55-11:40");
    OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", urban).put("name", "录播室").put("kind", "recording").put("capacity", 40));
    grade3 = schoolClass(rural, "三年级");
    grade4 = schoolClass(rural, "四年级");
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关一小—后村小学").put("coreSchoolId", urban)
        .put("memberSchoolIds", new JsonArray().add(rural)).put("startsOn", "2026-09-01"));
    term = OrgTest.create(admin, "/api/v1/terms", new JsonObject().put("name", "2027春").put("startsOn", "2027-02-22").put("endsOn", "2027-07-09"));
    yin = user("yin.music", urban);
    assertEquals(200, admin.put("/api/v1/teachers/" + yin, new JsonObject().put("subjects", new JsonArray().add("音乐"))
        .put("maxWeeklyPeriods", 4)).status());
    mei = user("mei.art", urban);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @BeforeEach
  void fresh() {
    browser.reset();
    signIn("admin", TestPlatform.ADMIN_PASSWORD);
  }

  static void bells(String school, String... periods) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < periods.length; i++) {
      String[] p = periods[i].split("-");
      list.add(new JsonObject().put("number", i + 1).put("start", p[0]).put("end", p[1]));
    }
    assertEquals(200, admin.put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", list)).status());
  }

  static String schoolClass(String school, String grade) {
    return OrgTest.create(admin, "/api/v1/classes", new JsonObject().put("schoolId", school).put("grade", grade).put("name", "1班").put("size", 20));
  }

  static String user(String username, String school) {
    return OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add("teacher")).put("displayName", username).put("schoolId", school));
  }

  // --- the wizard

  @Test
  void theWizardTakesTheDemandShowsTheProposalAsTheApiHasItAndAppliesIt() {
    browser.click(nav("auto-schedule"));

    // Step 1: the term.
    choose(By.id("auto-term"), term);
    browser.click(By.id("auto-next"));

    // Step 2: the rural school's classes are listed; two of them get two music periods a week by the quick fill.
    browser.visible(By.cssSelector("#auto-steps[data-step='2']"));
    assertTrue(browser.driver().findElement(By.id("auto-kind-rural")).isSelected(), "rural schools are offered first");
    assertTrue(browser.driver().findElement(By.id("auto-school-" + rural)).isSelected());
    browser.click(pick(grade3));
    browser.click(pick(grade4));
    browser.type(By.id("auto-fill-subject"), "音乐");
    browser.type(By.id("auto-fill-count"), "2");
    browser.click(By.id("auto-fill"));
    for (String c : List.of(grade3, grade4)) {
      new WebDriverWait(browser.driver(), Browser.WAIT).ignoring(StaleElementReferenceException.class)
          .until(ExpectedConditions.attributeToBe(cell(c, "音乐"), "value", "2"));
    }
    browser.visible(By.cssSelector("#auto-demand-total[data-periods='4']"));
    browser.type(By.id("auto-limit"), "5");
    browser.screenshot("auto-demand-zh");
    browser.click(By.id("auto-submit"));

    // Steps 3 and 4: the run's page follows it to its proposal.
    new WebDriverWait(browser.driver(), Browser.WAIT).until(d -> d.getCurrentUrl().matches(".*#/auto-schedule/[0-9a-f-]{36}$"));
    String id = browser.driver().getCurrentUrl().replaceAll(".*#/auto-schedule/", "");
    browser.visible(By.id("auto-status"));
    new WebDriverWait(browser.driver(), PROPOSAL_WAIT).withMessage(() -> "a proposal; the API says " + admin.get("/api/v1/auto-schedules/" + id).body())
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#auto-review[data-status='proposed']")));
    browser.visible(By.cssSelector("#auto-steps[data-step='4']"));
    browser.screenshot("auto-proposal-zh");

    JsonObject job = admin.get("/api/v1/auto-schedules/" + id).json();
    assertEquals("proposed", job.getString("status"), job.encode());
    JsonObject stats = job.getJsonObject("proposal").getJsonObject("stats");
    assertEquals(4, stats.getInteger("lessons"), stats.encode());
    assertEquals(4, stats.getInteger("satisfiable"), stats.encode());
    assertEquals(4, stats.getInteger("placed"), "the paired music teacher has four periods a week to give: " + stats.encode());
    for (String key : List.of("placed", "placedShare", "lessons", "greedyPlaced", "ratioToGreedy", "hardViolations", "paired", "seconds")) {
      String shown = stat(key).getAttribute("data-value");
      assertEquals(stats.getValue(key) == null ? null : stats.getDouble(key), shown.isEmpty() ? null : Double.valueOf(shown), key);
    }
    assertEquals("4 / 4", stat("placed").findElement(By.className("stat-value")).getText());
    assertEquals("100%", stat("placedShare").findElement(By.className("stat-value")).getText());
    assertEquals("0", stat("hardViolations").findElement(By.className("stat-value")).getText());

    JsonArray placements = job.getJsonObject("proposal").getJsonArray("placements");
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("#auto-placements .placement-group[data-school='" + rural + "'] tr.placement"));
    assertEquals(placements.size(), rows.size());
    for (WebElement row : rows) {
      assertTrue(Set.of(grade3, grade4).contains(row.getAttribute("data-class")), row.getAttribute("data-class"));
      assertTrue(row.getText().contains("音乐") && row.getText().contains("yin.music") && row.getText().contains("城关一小")
          && row.getText().contains("录播室") && row.getText().contains("结对"), row.getText());
    }
    JsonObject first = placements.getJsonObject(0);
    assertTrue(browser.driver().findElements(By.cssSelector("tr.placement[data-class='" + first.getString("classId") + "'][data-weekday='"
        + first.getInteger("weekday") + "'][data-start='" + first.getString("start") + "']")).size() == 1, first.encode());
    browser.text(By.id("auto-all-placed"), "全部需求都已安排。");

    // Apply: the page says how many sessions were made and links to the receiving school's timetable.
    browser.click(By.id("auto-apply"));
    WebElement applied = browser.visible(By.id("auto-applied"));
    assertTrue(applied.getText().startsWith("已应用：排入 4 门每周专递课。"), applied.getText());
    browser.visible(By.cssSelector("#auto-status[data-status='applied']"));
    browser.screenshot("auto-applied-zh");
    assertEquals("applied", admin.get("/api/v1/auto-schedules/" + id).json().getString("status"));
    for (String c : List.of(grade3, grade4)) {
      JsonArray week = admin.get("/api/v1/sessions?from=2027-03-01&to=2027-03-07&classId=" + c).json().getJsonArray("items");
      assertEquals(2, week.size(), week.encode());
      for (Object o : week) {
        assertEquals("dedicated", ((JsonObject) o).getString("type"));
      }
    }

    String link = browser.driver().findElement(By.id("auto-calendar-link")).getAttribute("href");
    assertTrue(link.contains("schoolId=" + rural), link);
    browser.click(By.id("auto-calendar-link"));
    browser.visible(By.cssSelector("#calendar-grid[data-filter='school:" + rural + "'][data-week='2027-02-22']"));
    new WebDriverWait(browser.driver(), Browser.WAIT).withMessage(() -> "the four classes in the first week of the term")
        .until(d -> d.findElements(By.cssSelector("#calendar-grid .occurrence")).size() == 4);

    // The run is listed with its status and opens again.
    browser.open("#/auto-schedule");
    browser.visible(By.cssSelector("#auto-runs-table tr[data-run='" + id + "'][data-status='applied']"));
    browser.click(By.cssSelector("#auto-runs-table tr[data-run='" + id + "'] a.auto-run-link"));
    browser.visible(By.cssSelector("#auto-review[data-status='applied']"));
    assertTrue(browser.driver().findElements(By.id("auto-apply")).isEmpty(), "an applied proposal cannot be applied again");

    // In English the labels switch.
    browser.click(By.id("lang-toggle"));
    browser.text(By.cssSelector("#auto-stat-placed .stat-label"), "Placed / satisfiable (periods)");
  }

  // --- the import and teachers pages

  @Test
  void aClassesCsvIsCheckedThenImportedAndATeachersSubjectsAreEdited() throws IOException {
    browser.click(nav("import"));
    new Select(browser.visible(By.id("import-kind"))).selectByValue("classes");

    // A bad row: the check lists it with its line, and nothing can be imported yet.
    browser.type(By.id("import-text"), "学校,年级,班级,人数\n后村小学,五年级,1班,很多\n");
    browser.click(By.id("import-check"));
    WebElement bad = browser.visible(By.cssSelector("#import-errors tr[data-line='2']"));
    assertFalse(bad.getText().isBlank());
    assertFalse(browser.driver().findElement(By.id("import-run")).isEnabled());
    browser.screenshot("import-bad-row-zh");

    // Fixed: the check counts, writes nothing; the import writes.
    browser.type(By.id("import-text"), "学校,年级,班级,人数\n后村小学,五年级,1班,21\n后村小学,六年级,1班,19\n");
    browser.click(By.id("import-check"));
    browser.visible(By.cssSelector("#import-result .import-counts[data-dry-run='true'][data-rows='2'][data-created='2']"));
    browser.text(By.id("import-summary"), "检查通过：共 2 行，将新建 2、更新 0、不变 0、删除 0。");
    assertEquals(2, classesOf(rural).size(), "a check writes nothing");
    browser.click(By.id("import-run"));
    browser.visible(By.cssSelector("#import-result .import-counts[data-dry-run='false'][data-created='2']"));
    browser.screenshot("import-done-zh");
    JsonArray classes = classesOf(rural);
    assertEquals(4, classes.size(), classes.encode());
    assertTrue(classes.stream().map(o -> (JsonObject) o).anyMatch(c -> c.getString("grade").equals("五年级") && c.getInteger("size") == 21),
        classes.encode());

    // A file chosen from disk goes up as it is: Excel's plain CSV is GBK, which the server reads.
    Path gbk = Files.createTempFile("classrooms-", ".csv");
    Files.write(gbk, "学校,教室,类型,容量\r\n后村小学,互动教室,互动教室,30\r\n".getBytes(Charset.forName("GBK")));
    new Select(browser.visible(By.id("import-kind"))).selectByValue("classrooms");
    browser.driver().findElement(By.id("import-file")).sendKeys(gbk.toAbsolutePath().toString());
    browser.click(By.id("import-check"));
    browser.visible(By.cssSelector("#import-result .import-counts[data-dry-run='true'][data-rows='1'][data-created='1']"));
    browser.text(By.cssSelector("#import-result .import-counts .small"), "文件编码：GB18030");
    browser.click(By.id("import-run"));
    browser.visible(By.cssSelector("#import-result .import-counts[data-dry-run='false'][data-created='1']"));
    JsonArray rooms = admin.get("/api/v1/classrooms?schoolId=" + rural).json().getJsonArray("items");
    assertTrue(rooms.stream().map(o -> (JsonObject) o).anyMatch(r -> r.getString("name").equals("互动教室") && r.getString("kind").equals("interactive")),
        rooms.encode());
    Files.delete(gbk);

    // The teachers page: the art teacher gets two subjects and a weekly limit.
    browser.click(nav("teachers"));
    choose(By.id("teachers-school"), urban);
    By row = By.cssSelector("#teachers-table tr[data-teacher='" + mei + "']");
    browser.visible(row);
    browser.type(By.cssSelector("#teachers-table tr[data-teacher='" + mei + "'] .teacher-subjects"), "美术、书法");
    browser.type(By.cssSelector("#teachers-table tr[data-teacher='" + mei + "'] .teacher-limit"), "5");
    browser.click(By.cssSelector("#teachers-table tr[data-teacher='" + mei + "'] .teacher-save"));
    browser.text(By.cssSelector("#teachers-message .notice.ok"), "已保存 mei.art：美术、书法，每周最多 5 节。");
    JsonObject saved = admin.get("/api/v1/teachers/" + mei).json();
    assertEquals(new JsonArray().add("美术").add("书法"), saved.getJsonArray("subjects"));
    assertEquals(5, saved.getInteger("maxWeeklyPeriods"));

    // A school admin imports and edits teachers but does not run the county's auto-schedule.
    OrgTest.create(admin, "/api/v1/users", new JsonObject().put("username", "head.rural").put("password", "password-head")
        .put("roles", new JsonArray().add("school_admin")).put("displayName", "后村校长").put("schoolId", rural));
    browser.click(By.id("logout"));
    signIn("head.rural", "password-head");
    browser.visible(nav("teachers"));
    browser.visible(nav("import"));
    assertTrue(browser.driver().findElements(nav("auto-schedule")).isEmpty());
  }

  static JsonArray classesOf(String school) {
    return admin.get("/api/v1/classes?schoolId=" + school + "&size=100").json().getJsonArray("items");
  }

  // --- steps

  static By nav(String route) {
    return Browser.nav(route);
  }


  static By pick(String classId) {
    return By.cssSelector("#auto-demand-table input.demand-pick[data-class='" + classId + "']");
  }

  static By cell(String classId, String subject) {
    return By.cssSelector("#auto-demand-table input.demand-cell[data-class='" + classId + "'][data-subject='" + subject + "']");
  }

  static WebElement stat(String key) {
    return browser.driver().findElement(By.id("auto-stat-" + key));
  }

  static void signIn(String username, String password) {
    browser.signIn(username, password, nav("calendar"));
  }


  static void choose(By select, String value) {
    browser.choose(select, value);
  }

}
