package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The schedule pages in headless Chromium against a real platform: the create form checks conflicts while the
 * admin chooses and creates the session, which the week calendar then shows on its weekday; a weekly session
 * appears on each teaching day of a week and not on a holiday, a cancelled occurrence is struck through; the
 * delivery report draws one bar per group and month and its CSV link is CSV. Setup and verification go through
 * the API; the steps under test go through the pages.
 */
class WebUiScheduleTest {

  @RegisterExtension
  static final Browser browser = new Browser();

  static Platform platform;
  static Api admin;
  static String urban;
  static String rural;
  static String studio;
  static String room101;
  static String room102;
  static String ruralRoom;
  static String ruralClass;
  static String term;
  static String wang;
  static String li;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("webuischedule");
    browser.base("http://127.0.0.1:" + platform.port());
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    urban = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "城关一小").put("kind", "urban").put("regionCode", "371321"));
    rural = OrgTest.create(admin, "/api/v1/schools", new JsonObject().put("name", "后村小学").put("kind", "rural").put("regionCode", "371321101"));
    for (String school : List.of(urban, rural)) {
      assertEquals(200, admin.put("/api/v1/schools/" + school + "/bell-schedule", new JsonObject().put("periods", new JsonArray()
          .add(period(1, "08:00", "08:40")).add(period(2, "08:50", "09:30")).add(period(3, "10:00", "10:40")))).status());
    }
    studio = room(urban, "录播室", "recording");
    room101 = room(urban, "101", "ordinary");
    room102 = room(urban, "102", "ordinary");
    ruralRoom = room(rural, "互动教室", "interactive");
    ruralClass = OrgTest.create(admin, "/api/v1/classes", new JsonObject().put("schoolId", rural).put("grade", "三年级").put("name", "1班").put("size", 18));
    OrgTest.create(admin, "/api/v1/pairings", new JsonObject().put("name", "城关一小—后村小学").put("coreSchoolId", urban)
        .put("memberSchoolIds", new JsonArray().add(rural)).put("startsOn", "2026-09-01"));
    term = OrgTest.create(admin, "/api/v1/terms", new JsonObject().put("name", "2026秋").put("startsOn", "2026-09-01").put("endsOn", "2027-01-15")
        .put("holidays", new JsonArray().add(new JsonObject().put("name", "国庆节").put("from", "2026-10-01").put("to", "2026-10-07"))));
    wang = user("wang.music", urban);
    li = user("li.art", urban);
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

  static JsonObject period(int n, String start, String end) {
    return new JsonObject().put("number", n).put("start", start).put("end", end);
  }

  static String room(String school, String name, String kind) {
    return OrgTest.create(admin, "/api/v1/classrooms", new JsonObject().put("schoolId", school).put("name", name).put("kind", kind).put("capacity", 40));
  }

  static String user(String username, String school) {
    Api.Response r = admin.post("/api/v1/users", new JsonObject().put("username", username).put("password", "password-" + username)
        .put("roles", new JsonArray().add("teacher")).put("displayName", username).put("schoolId", school));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  static JsonObject created(JsonObject session) {
    Api.Response r = admin.post("/api/v1/sessions", session);
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  // --- (a) the create form

  @Test
  void theCreateFormShowsConflictsAsTheAdminChoosesAndTheCalendarShowsTheNewSession() {
    // Wang already teaches research at 08:00 on Tuesday 8 December, in another room.
    created(new JsonObject().put("type", "research").put("title", "音乐教研").put("subject", "音乐").put("grade", "三年级")
        .put("leadSchoolId", urban).put("leadClassroomId", room101).put("leadTeacherId", wang).put("date", "2026-12-08").put("period", 1));

    browser.open("#/schedule?date=2026-12-08");
    new Select(browser.visible(By.id("schedule-type"))).selectByValue("synchronous");
    browser.type(By.id("schedule-subject"), "音乐");
    browser.type(By.id("schedule-grade"), "三年级");
    choose(By.id("schedule-leadSchool"), urban);
    choose(By.id("schedule-leadClassroom"), studio);
    choose(By.id("schedule-leadTeacher"), wang);
    browser.click(By.id("schedule-addReceiver"));
    choose(By.cssSelector(".receiver-row .receiver-school"), rural);
    choose(By.cssSelector(".receiver-row .receiver-classroom"), ruralRoom);
    choose(By.cssSelector(".receiver-row .receiver-class"), ruralClass);
    browser.visible(By.cssSelector("#schedule-period option[value='3']"));
    assertEquals("第 1 节 08:00–08:40", new Select(browser.visible(By.id("schedule-period"))).getFirstSelectedOption().getText(),
        "the first period of the lead school's Tuesday is the default");

    // The teacher is busy then: the check lists exactly that, naming the other session.
    By teacherConflict = By.cssSelector("#schedule-conflict-list li[data-kind='teacher']");
    browser.visible(teacherConflict);
    new WebDriverWait(browser.driver(), Browser.WAIT).withMessage(() -> "one teacher conflict naming 音乐教研, not " + conflicts())
        .until(d -> conflicts().size() == 1 && conflicts().get(0).startsWith("teacher|")
            && conflicts().get(0).contains("音乐教研") && conflicts().get(0).contains("2026-12-08 08:00–08:40"));
    browser.screenshot("schedule-form-conflict-zh");

    // Submitted anyway, the server refuses it and the form says so; nothing is stored.
    browser.click(By.id("schedule-submit"));
    browser.text(By.cssSelector("#schedule-message .notice.error"), "未能排课：有 1 处冲突，请调整后再提交。");
    assertEquals(0, admin.get("/api/v1/sessions?from=2026-12-08&to=2026-12-08&classroomId=" + studio).json().getJsonArray("items").size());

    // The second period is free: the conflict goes away.
    choose(By.id("schedule-period"), "2");
    browser.visible(By.cssSelector("#schedule-conflicts [data-state='free']"));
    assertTrue(browser.driver().findElements(teacherConflict).isEmpty());

    browser.click(By.id("schedule-submit"));
    WebElement block = browser.visible(By.cssSelector(".day-col .occurrence.highlight"));
    String sessionId = block.getAttribute("data-session");
    WebElement column = block.findElement(By.xpath("./ancestor::div[contains(@class,'day-col')]"));
    assertEquals("2026-12-08", column.getAttribute("data-date"));
    assertEquals("2", column.getAttribute("data-weekday"), "Tuesday's column");
    assertTrue(block.getText().contains("08:50–09:30") && block.getText().contains("三年级音乐") && block.getText().contains("同步课堂"),
        block.getText());
    assertTrue(browser.driver().getCurrentUrl().contains("classroomId=" + studio), browser.driver().getCurrentUrl());
    browser.text(By.id("session-title"), "三年级音乐");
    browser.screenshot("schedule-created-calendar-zh");

    JsonObject stored = admin.get("/api/v1/sessions/" + sessionId).json();
    assertEquals("synchronous", stored.getString("type"));
    assertEquals(wang, stored.getString("leadTeacherId"));
    assertEquals(studio, stored.getString("leadClassroomId"));
    assertEquals(rural, stored.getJsonArray("receivers").getJsonObject(0).getString("schoolId"));
    assertEquals(ruralClass, stored.getJsonArray("receivers").getJsonObject(0).getString("classId"));
    JsonObject occurrence = stored.getJsonArray("occurrences").getJsonObject(0);
    assertEquals(1, stored.getJsonArray("occurrences").size());
    assertTrue(occurrence.getString("startsAt").startsWith("2026-12-08T08:50") || occurrence.getString("startsAt").startsWith("2026-12-08T00:50"),
        occurrence.encode());

    // The teacher sees the calendar (their own timetable first) but neither the form nor the report.
    browser.click(By.id("logout"));
    signIn("wang.music", "password-wang.music");
    assertTrue(browser.driver().findElements(nav("schedule")).isEmpty() && browser.driver().findElements(nav("delivery")).isEmpty());
    browser.open("#/calendar?week=2026-12-10");
    shown("teacher:" + wang, "2026-12-07");
    assertEquals(List.of("08:00–08:40", "08:50–09:30"), blocksOn(2).stream().map(b -> b.findElement(By.className("occ-time")).getText()).toList());
    assertTrue(blocksOn(1).isEmpty() && blocksOn(3).isEmpty());
  }

  // --- (b) the week calendar

  @Test
  void aWeeklySessionFillsTheTeachingDaysSkipsTheHolidayAndACancelledOccurrenceIsStruckThrough() {
    // An art class from the urban room 102 to the village, every weekday of the term, third period.
    for (String first : List.of("2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11")) {
      created(new JsonObject().put("type", "dedicated").put("title", "美术专递课").put("subject", "美术").put("grade", "三年级")
          .put("leadSchoolId", urban).put("leadClassroomId", room102).put("leadTeacherId", li).put("date", first).put("period", 3)
          .put("termId", term).put("weekly", true)
          .put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural).put("classroomId", ruralRoom))));
    }

    // Through the filters: a classroom of a school, then a week forward.
    browser.open("#/calendar?week=2026-09-21");
    new Select(browser.visible(By.id("calendar-by"))).selectByValue("classroom");
    browser.visible(By.id("calendar-object"));
    choose(By.id("calendar-school"), urban);
    choose(By.id("calendar-object"), room102);
    shown("classroom:" + room102, "2026-09-21");
    browser.text(By.id("calendar-week"), "2026-09-21 至 2026-09-27");
    for (int day = 1; day <= 7; day++) {
      assertEquals(day <= 5 ? 1 : 0, blocksOn(day).size(), "week of 21 September, weekday " + day);
    }
    assertTrue(blocksOn(1).get(0).getText().contains("10:00–10:40") && blocksOn(1).get(0).getText().contains("专递课堂"),
        blocksOn(1).get(0).getText());
    browser.click(By.id("calendar-next"));
    shown("classroom:" + room102, "2026-09-28");
    browser.text(By.id("calendar-week"), "2026-09-28 至 2026-10-04");
    assertEquals(List.of(1, 1, 1, 0, 0, 0, 0), List.of(1, 2, 3, 4, 5, 6, 7).stream().map(d -> blocksOn(d).size()).toList(),
        "Monday to Wednesday are teaching days; from Thursday 1 October it is the National Day holiday");
    WebElement thursday = browser.driver().findElement(By.cssSelector(".day-head[data-date='2026-10-01']"));
    assertTrue(thursday.getAttribute("class").contains("holiday") && thursday.getText().contains("国庆节"), thursday.getText());
    browser.screenshot("schedule-week-holiday-zh");

    // Cancel Wednesday's class from its details: the block stays, struck through.
    blocksOn(3).get(0).click();
    browser.text(By.id("session-title"), "美术专递课");
    browser.visible(By.xpath("//ul[@id='session-receivers']/li[starts-with(normalize-space(), '后村小学 · 互动教室 待确认')]"));
    // The receiving school confirms (here the district admin on its behalf): the badge turns, the API records it.
    String confirming = browser.visible(By.cssSelector(".session-detail")).getAttribute("data-session");
    browser.click(By.cssSelector("#session-receivers li[data-school='" + rural + "'] .confirm-receiver"));
    browser.text(By.cssSelector("#session-receivers li[data-school='" + rural + "'] .confirm-state"), "已确认");
    assertTrue(admin.get("/api/v1/sessions/" + confirming).json().getJsonArray("receivers").getJsonObject(0).getString("confirmedAt") != null);
    browser.click(By.id("occurrence-cancel"));
    browser.click(By.id("occurrence-cancel-confirm"));
    By cancelled = By.cssSelector(".day-col[data-date='2026-09-30'] .occurrence.status-cancelled");
    WebElement struck = browser.visible(cancelled);
    assertTrue(struck.getText().contains("已取消"), struck.getText());
    String decoration = (String) browser.driver().executeScript(
        "return getComputedStyle(arguments[0].querySelector('.occ-title')).textDecorationLine;", struck);
    assertEquals("line-through", decoration);
    browser.screenshot("schedule-week-cancelled-zh");

    String sessionId = struck.getAttribute("data-session");
    String occurrenceId = struck.getAttribute("data-occurrence");
    JsonObject occurrence = admin.get("/api/v1/sessions/" + sessionId).json().getJsonArray("occurrences").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("id").equals(occurrenceId)).findFirst().orElseThrow();
    assertEquals("cancelled", occurrence.getString("status"));
    assertEquals(1, blocksOn(2).size());
    assertEquals("scheduled", blocksOn(2).get(0).getAttribute("data-status"), "only that occurrence");

    // Move Tuesday's class: the afternoon is outside the village school's periods (refused, the conflict shown);
    // the second period is free.
    blocksOn(2).get(0).click();
    browser.visible(By.cssSelector(".session-detail[data-occurrence='" + blocksOn(2).get(0).getAttribute("data-occurrence") + "']"));
    browser.click(By.id("occurrence-move"));
    setTimes("14:00", "14:40");
    browser.click(By.id("occurrence-move-submit"));
    WebElement refused = browser.visible(By.cssSelector("#move-conflicts li[data-kind='bell_schedule']"));
    assertTrue(refused.getText().contains("后村小学"), refused.getText());
    setTimes("08:50", "09:30");
    browser.click(By.id("occurrence-move-submit"));
    browser.visible(By.xpath("//div[@data-weekday='2']//button[contains(@class,'occurrence')][.//span[@class='occ-time'][normalize-space()='08:50–09:30']]"));
    assertEquals(1, blocksOn(2).size(), "moved, not copied");
    browser.screenshot("schedule-week-moved-zh");
  }

  /** The move form's times, set as a picker would (typing into a time field depends on the browser's locale). */
  static void setTimes(String start, String end) {
    browser.driver().executeScript("document.getElementById('move-start').value = arguments[0];"
        + " document.getElementById('move-end').value = arguments[1];", start, end);
  }

  // --- (c) the delivery report

  @Test
  void theDeliveryReportDrawsABarPerGroupAndMonthAndItsCsvIsCsv() {
    JsonObject held = created(new JsonObject().put("type", "dedicated").put("title", "科学专递课").put("subject", "科学").put("grade", "四年级")
        .put("leadSchoolId", urban).put("leadClassroomId", studio).put("leadTeacherId", li).put("date", "2026-10-15").put("period", 1)
        .put("termId", term).put("weekly", true)
        .put("receivers", new JsonArray().add(new JsonObject().put("schoolId", rural))));
    JsonArray occurrences = held.getJsonArray("occurrences");
    for (int i = 0; i < 3; i++) {
      String o = occurrences.getJsonObject(i).getString("id");
      assertEquals(200, admin.post("/api/v1/sessions/" + held.getString("id") + "/occurrences/" + o + "/status",
          new JsonObject().put("status", "ended")).status());
    }
    String query = "kind=pairing&from=2026-09-01&to=2026-11-30";
    JsonObject expected = admin.get("/api/v1/reports/delivery?" + query).json();
    Map<String, Double> shares = expected.getJsonArray("groups").stream().map(g -> (JsonObject) g)
        .flatMap(g -> g.getJsonArray("months").stream().map(m -> (JsonObject) m).map(m -> Map.entry(g.getString("id") + " " + m.getString("month"),
            m.getDouble("shareHeld"))))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertTrue(shares.size() >= 2, expected.encode());

    browser.click(nav("delivery"));
    browser.visible(By.id("delivery-kind"));
    browser.open("#/delivery?" + query);
    browser.visible(By.cssSelector("svg#delivery-chart rect.chart-bar"));
    List<WebElement> bars = browser.driver().findElements(By.cssSelector("svg#delivery-chart rect.chart-bar"));
    assertEquals(shares.size(), bars.size(), "one bar per group and month");
    for (WebElement bar : bars) {
      String key = bar.getAttribute("data-group") + " " + bar.getAttribute("data-month");
      assertEquals(shares.get(key), Double.valueOf(bar.getAttribute("data-share")), key);
    }
    JsonObject october = expected.getJsonArray("groups").getJsonObject(0).getJsonArray("months").stream().map(m -> (JsonObject) m)
        .filter(m -> m.getString("month").equals("2026-10")).findFirst().orElseThrow();
    assertTrue(october.getLong("held") >= 3, october.encode());
    double tallest = bars.stream().mapToDouble(b -> Double.parseDouble(b.getAttribute("height"))).max().orElse(0);
    assertTrue(tallest > 0, "a month with classes held has a visible bar");
    assertEquals(shares.size() + expected.getJsonArray("groups").size(), browser.driver().findElements(By.cssSelector("#delivery-table tbody tr")).size(),
        "a row per group and month, and a total per group");
    browser.screenshot("schedule-delivery-zh");

    // The link downloads CSV with this browser's own session.
    String href = browser.driver().findElement(By.id("delivery-csv")).getAttribute("href");
    assertTrue(href.contains("format=csv") && href.contains("from=2026-09-01") && href.contains("to=2026-11-30"), href);
    @SuppressWarnings("unchecked")
    Map<String, Object> got = (Map<String, Object>) browser.driver().executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text().then(t => done({status: r.status, type: r.headers.get('Content-Type'),"
            + " disposition: r.headers.get('Content-Disposition'), body: t})), e => done({error: String(e)}));", href);
    assertEquals(200L, ((Number) got.get("status")).longValue(), String.valueOf(got));
    assertTrue(String.valueOf(got.get("type")).startsWith("text/csv"), String.valueOf(got));
    assertTrue(String.valueOf(got.get("disposition")).startsWith("attachment"), String.valueOf(got));
    // The CSV speaks the browser's language (its Accept-Language), as the coverage CSV does.
    String header = String.valueOf(got.get("body")).split("\r\n")[0].replace("\uFEFF", "");
    assertTrue(List.of("结对/联盟,月份,应开课次,实开课次,取消课次,开课比", "group,month,due,held,cancelled,share held").contains(header), header);
    assertTrue(String.valueOf(got.get("body")).contains("城关一小—后村小学,2026-10,"), String.valueOf(got));

    // In English the labels switch; the groups keep their names.
    browser.click(By.id("lang-toggle"));
    browser.text(By.cssSelector(".page-delivery h1"), "Classes delivered");
    browser.text(By.cssSelector("#delivery-table thead th:last-child"), "Share held");
    browser.visible(By.xpath("//*[local-name()='svg'][@id='delivery-chart']//*[local-name()='text'][normalize-space()='城关一小—后村小学']"));
    browser.screenshot("schedule-delivery-en");
  }

  // --- steps

  static By nav(String route) {
    return Browser.nav(route);
  }


  static void signIn(String username, String password) {
    browser.signIn(username, password, nav("calendar"));
  }


  static void choose(By select, String value) {
    browser.choose(select, value);
  }


  /** Waits for the week grid of this filter and week (the page re-renders on every choice). */
  static void shown(String filter, String week) {
    browser.visible(By.cssSelector("#calendar-grid[data-filter='" + filter + "'][data-week='" + week + "']"));
  }

  /** The conflicts the form lists, as "kind|text", read in one script (the list is redrawn as checks answer). */
  @SuppressWarnings("unchecked")
  static List<String> conflicts() {
    return (List<String>) browser.driver().executeScript("return Array.prototype.map.call("
        + "document.querySelectorAll('#schedule-conflict-list li'), function (li) { return li.getAttribute('data-kind') + '|' + li.textContent; });");
  }

  static List<WebElement> blocksOn(int weekday) {
    return browser.driver().findElements(By.cssSelector(".day-col[data-weekday='" + weekday + "'] .occurrence"));
  }
}
