package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.search.SearchDocument;
import org.kelian.core.search.SearchIndex;
import org.kelian.core.search.SearchQuery;
import org.kelian.core.search.SearchResult;
import org.kelian.core.search.Suggestion;
import org.kelian.search.Elasticsearch;
import org.kelian.search.ElasticsearchIndex;
import org.kelian.search.SearchOptions;

/** The Elasticsearch adapter of the search port against the real Elasticsearch of the local stack. */
class SearchIndexTest {

  private static final String PREFIX = "t-searchindex";
  private static final String COUNTY = "county:370102";
  private static final String SCHOOL = "school:" + UUID.nameUUIDFromBytes("大青树小学".getBytes());

  // Catalog paths from catalog/textbooks.json (人教版三年级上册 has units only there; its lessons are the real ones).
  private static final List<String> MATH3 = List.of("小学", "数学", "人教版", "三年级", "上册");
  private static final List<String> CHINESE3 = List.of("小学", "语文", "统编版", "三年级", "上册");
  private static final List<String> ENGLISH3 = List.of("小学", "英语", "人教版PEP", "三年级", "上册");
  private static final List<String> MATH7 = List.of("初中", "数学", "人教版", "七年级", "上册");
  private static final String FRACTIONS = "8 分数的初步认识";
  private static final String RECTANGLES = "7 长方形和正方形";

  private static final Instant T0 = Instant.parse("2025-09-01T08:00:00Z");

  static final SearchDocument COURSEWARE = doc("教学课件", "courseware", 120, 1, path(MATH3, FRACTIONS, "分数的简单应用"));
  static final SearchDocument LESSON_VIDEO = doc("分数的简单应用 课例", "video", 900, 2, path(MATH3, FRACTIONS, "分数的简单应用"));
  static final SearchDocument OTHER_LESSON = doc("分数的简单应用拓展练习", "exercise", 40, 3, path(MATH3, FRACTIONS, "几分之一"));
  static final SearchDocument UNIT_REVIEW = doc("分数的初步认识 单元复习", "exercise", 15, 4, path(MATH3, FRACTIONS));
  static final SearchDocument SCRIPT = doc("<script>alert(1)</script>几分之一 课件", "courseware", 0, 5, path(MATH3, FRACTIONS, "几分之一"));
  static final SearchDocument RECT_PERIMETER = doc("长方形和正方形的周长 教学设计", "design", 300, 6,
      path(MATH3, RECTANGLES, "长方形和正方形的周长"));
  static final SearchDocument RECT = doc("认识长方形 微课", "video", 50, 7, path(MATH3, RECTANGLES, "四边形"));
  static final SearchDocument MEASURE = doc("测量周长的小游戏", "material", 5, 8, path(MATH3, "3 测量"));
  static final SearchDocument SIMA = doc("朗读音频", "audio", 70, 9, path(CHINESE3, "第八单元", "23 司马光"));
  static final SearchDocument SIMA_OTHER = doc("司马光砸缸 阅读材料", "material", 3, 10, path(CHINESE3, "第八单元", "24 一定要争气"));
  static final SearchDocument FLOWER_COUNTY = with(doc("花的学校 教学设计", "design", 20, 11, path(CHINESE3, "第一单元", "2 花的学校")),
      "county", COUNTY);
  static final SearchDocument TREE_SCHOOL = with(doc("大青树下的小学 课堂实录", "recording", 8, 12,
      path(CHINESE3, "第一单元", "1 大青树下的小学")), "school", SCHOOL);
  static final SearchDocument ENGLISH = doc("Unit 1 Hello! 课件", "courseware", 60, 13, path(ENGLISH3, "Unit 1 Hello!"));
  static final SearchDocument RATIONAL = doc("有理数 微课", "video", 200, 14, path(MATH7, "第一章 有理数", "1.2 有理数"));
  static final SearchDocument EQUATION = docOnPaths("解一元一次方程 教学设计", "design", 90, 15, List.of(
      path(MATH7, "第三章 一元一次方程", "3.2 解一元一次方程（一）——合并同类项与移项"),
      path(MATH7, "第三章 一元一次方程", "3.4 实际问题与一元一次方程")));

  static final List<SearchDocument> DOCS = List.of(COURSEWARE, LESSON_VIDEO, OTHER_LESSON, UNIT_REVIEW, SCRIPT,
      RECT_PERIMETER, RECT, MEASURE, SIMA, SIMA_OTHER, FLOWER_COUNTY, TREE_SCHOOL, ENGLISH, RATIONAL, EQUATION);

  private static Vertx vertx;
  private static Elasticsearch es;
  private static SearchIndex index;

  @BeforeAll
  static void indexFixtures() throws Exception {
    String url = TestStack.get().endpoints().esUrl();
    vertx = Vertx.vertx();
    SearchOptions options = new SearchOptions(List.of(url), null, PREFIX);
    es = new Elasticsearch(vertx, options);
    deleteLeftoversOfEarlierRuns();
    index = new ElasticsearchIndex(es, options);
    index.ensureIndex().await();
    index.upsert(DOCS).await();
  }

  @AfterAll
  static void close() throws Exception {
    es.close();
    vertx.close().await();
  }

  @Test
  void ensureIndexIsIdempotent() throws Exception {
    Set<String> before = concreteIndices();
    index.ensureIndex().await();
    assertEquals(before, concreteIndices());
    assertEquals(1, before.size());
    assertTrue(before.iterator().next().startsWith(PREFIX + "-resources-"), before.toString());
  }

  @Test
  void aLessonTitleFindsThatLessonsResourcesFirstInChinesePinyinAndInitials() {
    Set<UUID> lesson = ids(COURSEWARE, LESSON_VIDEO);
    Set<UUID> expected = ids(COURSEWARE, LESSON_VIDEO, OTHER_LESSON); // the third only names the lesson in its title
    for (String query : List.of("分数的简单应用", "fenshudejiandanyingyong", "fsdjdyy", "FSDJDYY")) {
      List<UUID> hits = hitIds(search(query));
      assertEquals(expected, Set.copyOf(hits), query);
      assertEquals(lesson, Set.copyOf(hits.subList(0, 2)), query + ": the lesson's own resources come first");
    }
  }

  @Test
  void aUnitTitleFindsTheWholeUnitTheSameWayInEverySpelling() {
    Set<UUID> unit = ids(COURSEWARE, LESSON_VIDEO, OTHER_LESSON, UNIT_REVIEW, SCRIPT);
    for (String query : List.of("分数的初步认识", "fenshudechuburenshi", "fsdcbrs")) {
      List<UUID> hits = hitIds(search(query));
      assertEquals(unit, Set.copyOf(hits), query);
      assertEquals(UNIT_REVIEW.id(), hits.get(0), query + ": the resource attached to the unit itself first");
    }
  }

  @Test
  void aGenericallyTitledResourceIsFoundByItsLessonAndShowsThePathHighlighted() {
    SearchResult r = search("司马光");
    assertEquals(List.of(SIMA.id(), SIMA_OTHER.id()), hitIds(r));
    SearchResult.Hit hit = r.hits().get(0);
    assertEquals("朗读音频", hit.title());
    assertEquals("小学 / 语文 / 统编版 / 三年级 / 上册 / 第八单元 / 23 司马光", hit.catalogPath());
    assertTrue(hit.highlight().contains("23 <em>司马光</em>"), hit.highlight());
    assertEquals(List.of(SIMA.id(), SIMA_OTHER.id()), hitIds(search("simaguang")));
    assertEquals(SIMA.id(), hitIds(search("smg")).get(0));
    assertEquals("小学 / 语文 / 统编版 / 三年级 / 上册 / 第八单元 / <em>23 司马光</em>",
        search("smg").hits().get(0).highlight(), "pinyin matches mark the whole element");
  }

  @Test
  void severalWordsNarrowTheResult() {
    assertEquals(List.of(RECT_PERIMETER.id()), hitIds(search("长方形 周长")));
    assertEquals(List.of(RECT_PERIMETER.id()), hitIds(search("changfangxing zhouchang")));
    assertTrue(hitIds(search("周长")).containsAll(ids(RECT_PERIMETER, MEASURE)));
    assertTrue(hitIds(search("长方形")).containsAll(ids(RECT_PERIMETER, RECT)));
    assertEquals(ids(RECT_PERIMETER, RECT), Set.copyOf(hitIds(search("changfangxing"))));
    assertEquals(List.of(), hitIds(search("长方形 司马光")));
  }

  @Test
  void englishWordsAndDigitsAreFound() {
    assertEquals(ENGLISH.id(), hitIds(search("hello")).get(0));
    assertEquals(List.of(ENGLISH.id()), hitIds(search("Unit 1")));
  }

  @Test
  void strayQuerySyntaxNeverFails() {
    List<String> queries = List.of("\"", "(", ")", ":", "*", "\\", "分数\"(", "title:分数", "分数 AND (周长 OR", "*分*",
        "[1 TO 2]", "~!@#$%^&*()_+{}|<>?", "a".repeat(5000), "分".repeat(5000), "fen".repeat(2000),
        "f".repeat(300) + " " + "g".repeat(300), String.join(" ", java.util.Collections.nCopies(500, "分数")),
        "/regex/", "\u0000\u001f", "   ");
    for (String q : queries) {
      SearchResult r = search(q);
      assertTrue(r.total() >= 0, q);
      index.suggest(q, null, 10).await();
    }
    // Syntax characters only separate words: "title:分数" looks for the word "title" too, as typed.
    for (String q : List.of("\"分数\"", "(分数", "分数*", "分数\\")) {
      assertTrue(hitIds(search(q)).contains(UNIT_REVIEW.id()), q);
    }
  }

  @Test
  void highlightsAreEscapedExceptForEm() {
    SearchResult.Hit hit = search("几分之一").hits().stream().filter(h -> h.id().equals(SCRIPT.id())).findFirst().orElseThrow();
    assertEquals("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;<em>几分之一</em> 课件", hit.highlight());
    SearchResult.Hit plain = search("").hits().stream().filter(h -> h.id().equals(SCRIPT.id())).findFirst().orElseThrow();
    assertFalse(plain.highlight().contains("<script"), plain.highlight());
    assertEquals("<script>alert(1)</script>几分之一 课件", plain.title());
  }

  @Test
  void theBestMatchingPathIsShown() {
    SearchResult.Hit hit = search("实际问题").hits().get(0);
    assertEquals(EQUATION.id(), hit.id());
    assertEquals("初中 / 数学 / 人教版 / 七年级 / 上册 / 第三章 一元一次方程 / 3.4 实际问题与一元一次方程", hit.catalogPath());
    assertTrue(hit.highlight().endsWith("3.4 <em>实际问题</em>与一元一次方程"), hit.highlight());
    assertEquals("初中 / 数学 / 人教版 / 七年级 / 上册 / 第三章 一元一次方程 / 3.2 解一元一次方程（一）——合并同类项与移项",
        search("合并同类项").hits().get(0).catalogPath());
  }

  @Test
  void facetsCountTheQueryAndKeepOtherValuesOfTheChosenFacet() {
    SearchResult all = search("");
    assertEquals(DOCS.size(), all.total());
    assertEquals(Set.of("stage", "subject", "edition", "grade", "type"), all.facets().keySet());
    assertEquals(Map.of("小学", 13L, "初中", 2L), counts(all, "stage"));
    assertEquals(expectedCounts(DOCS, SearchDocument::type), counts(all, "type"));
    assertEquals(Map.of("数学", 10L, "语文", 4L, "英语", 1L), counts(all, "subject"));
    assertEquals(Map.of("人教版", 10L, "统编版", 4L, "人教版PEP", 1L), counts(all, "edition"));

    SearchResult seventh = index.search(query("", "七年级", null, null, SearchQuery.Sort.RELEVANCE, 1, 20)).await();
    assertEquals(ids(RATIONAL, EQUATION), Set.copyOf(hitIds(seventh)));
    assertEquals(Map.of("三年级", 13L, "七年级", 2L), counts(seventh, "grade"), "the grade facet ignores its own filter");
    assertEquals(Map.of("初中", 2L), counts(seventh, "stage"), "other facets count under the grade filter");
    assertEquals(Map.of("video", 1L, "design", 1L), counts(seventh, "type"));

    SearchResult fractions = search("分数");
    assertEquals(Map.of("courseware", 2L, "video", 1L, "exercise", 2L), counts(fractions, "type"));
  }

  @Test
  void withSeveralFacetsChosenEachFacetCountsUnderAllTheOthers() {
    // Every combination of chosen values over the test documents, checked against counting them here.
    List<Map<String, String>> choices = List.of(
        Map.of("stage", "小学", "subject", "数学"),
        Map.of("stage", "小学", "subject", "数学", "grade", "三年级"),
        Map.of("subject", "数学", "grade", "七年级", "type", "video"),
        Map.of("stage", "小学", "subject", "语文", "edition", "统编版", "grade", "三年级", "type", "design"),
        Map.of("stage", "初中", "type", "courseware"));
    for (Map<String, String> chosen : choices) {
      SearchResult r = index.search(new SearchQuery("", chosen.get("stage"), chosen.get("subject"), chosen.get("edition"),
          chosen.get("grade"), chosen.get("type"), null, null, SearchQuery.Sort.RELEVANCE, 1, 20, null)).await();
      assertEquals(DOCS.stream().filter(d -> matches(d, chosen, null)).count(), r.total(), chosen + ": total");
      for (String facet : List.of("stage", "subject", "edition", "grade", "type")) {
        Map<String, Long> expected = new java.util.HashMap<>();
        DOCS.stream().filter(d -> matches(d, chosen, facet))
            .forEach(d -> facetValues(d, facet).stream().distinct().forEach(v -> expected.merge(v, 1L, Long::sum)));
        assertEquals(expected, counts(r, facet), chosen + ": " + facet + " counts under every other chosen value");
      }
    }
  }

  private static List<String> facetValues(SearchDocument d, String facet) {
    return switch (facet) {
      case "stage" -> d.stages();
      case "subject" -> d.subjects();
      case "edition" -> d.editions();
      case "grade" -> d.grades();
      default -> List.of(d.type());
    };
  }

  /** Whether a document has every chosen value but that of {@code except}. */
  private static boolean matches(SearchDocument d, Map<String, String> chosen, String except) {
    return chosen.entrySet().stream().filter(e -> !e.getKey().equals(except))
        .allMatch(e -> facetValues(d, e.getKey()).contains(e.getValue()));
  }

  @Test
  void filtersNarrow() {
    SearchResult videos = index.search(query("", null, "video", null, SearchQuery.Sort.NEWEST, 1, 20)).await();
    assertEquals(List.of(RATIONAL.id(), RECT.id(), LESSON_VIDEO.id()), hitIds(videos));
    SearchResult r = index.search(new SearchQuery("", "小学", "语文", "统编版", "三年级", "design", null, null,
        SearchQuery.Sort.RELEVANCE, 1, 20, null)).await();
    assertEquals(List.of(FLOWER_COUNTY.id()), hitIds(r));
    SearchResult county = index.search(new SearchQuery("", null, null, null, null, null, "county", null,
        SearchQuery.Sort.RELEVANCE, 1, 20, null)).await();
    assertEquals(List.of(FLOWER_COUNTY.id()), hitIds(county));
  }

  @Test
  void aCatalogNodeFindsWhatIsAttachedToItAndEverythingBelowIt() {
    assertEquals(ids(COURSEWARE, LESSON_VIDEO), Set.copyOf(hitIds(underNode("", path(MATH3, FRACTIONS, "分数的简单应用"), null))),
        "a lesson: only its own resources");
    assertEquals(ids(COURSEWARE, LESSON_VIDEO, OTHER_LESSON, UNIT_REVIEW, SCRIPT), Set.copyOf(hitIds(underNode("", path(MATH3, FRACTIONS), null))),
        "a unit: its own resource and those of its lessons");
    SearchResult volume = underNode("", MATH3, null);
    assertEquals(ids(COURSEWARE, LESSON_VIDEO, OTHER_LESSON, UNIT_REVIEW, SCRIPT, RECT_PERIMETER, RECT, MEASURE),
        Set.copyOf(hitIds(volume)), "a volume: every unit of it, and nothing of the same subject's other volumes");
    assertEquals(Map.of("三年级", 8L), counts(volume, "grade"), "facets count inside the node only");
    assertEquals(Set.copyOf(hitIds(volume)), Set.copyOf(hitIds(underNode("", List.of("小学", "数学"), null))),
        "a subject of one stage: 初中数学 stays out");
    assertEquals(List.of(EQUATION.id()), hitIds(underNode("", path(MATH7, "第三章 一元一次方程", "3.4 实际问题与一元一次方程"), null)),
        "a resource on two lessons is found under either");
    assertEquals(List.of(EQUATION.id()), hitIds(underNode("", path(MATH7, "第三章 一元一次方程", "3.2 解一元一次方程（一）——合并同类项与移项"), null)));
    assertEquals(ids(OTHER_LESSON, UNIT_REVIEW), Set.copyOf(hitIds(underNode("", path(MATH3, FRACTIONS), "exercise"))),
        "node and facet together");
    assertEquals(List.of(LESSON_VIDEO.id()), hitIds(underNode("课例", path(MATH3, FRACTIONS), null)), "text and node together");
    assertEquals(List.of(), hitIds(underNode("", List.of("小学", "数学", "人教版", "四年级"), null)), "a node without resources");
  }

  @Test
  void visibilityHidesWhatTheUserMayNotSee() {
    SearchResult everyone = index.search(query("", null, null, List.of("national"), SearchQuery.Sort.RELEVANCE, 1, 50)).await();
    assertEquals(DOCS.size() - 2, everyone.total());
    assertFalse(hitIds(everyone).contains(FLOWER_COUNTY.id()));
    assertEquals(13L, everyone.facets().get("stage").stream().mapToLong(SearchResult.FacetValue::count).sum(),
        "facets count only visible resources");

    assertEquals(List.of(), hitIds(index.search(query("花的学校", null, null, List.of("national"), null, 1, 10)).await()));
    assertEquals(List.of(FLOWER_COUNTY.id()),
        hitIds(index.search(query("花的学校", null, null, List.of("national", COUNTY), null, 1, 10)).await()));
    assertEquals(List.of(TREE_SCHOOL.id()),
        hitIds(index.search(query("大青树", null, null, List.of("national", SCHOOL), null, 1, 10)).await()));
    assertEquals(0, index.search(query("", null, null, List.of(), null, 1, 10)).await().total());
  }

  @Test
  void sortsAndPages() {
    List<UUID> newest = hitIds(index.search(query("", null, null, null, SearchQuery.Sort.NEWEST, 1, 3)).await());
    assertEquals(List.of(EQUATION.id(), RATIONAL.id(), ENGLISH.id()), newest);
    List<UUID> page2 = hitIds(index.search(query("", null, null, null, SearchQuery.Sort.NEWEST, 2, 3)).await());
    assertEquals(List.of(TREE_SCHOOL.id(), FLOWER_COUNTY.id(), SIMA_OTHER.id()), page2);
    List<UUID> viewed = hitIds(index.search(query("", null, null, null, SearchQuery.Sort.MOST_VIEWED, 1, 3)).await());
    assertEquals(List.of(LESSON_VIDEO.id(), RECT_PERIMETER.id(), RATIONAL.id()), viewed);
    SearchResult beyond = index.search(query("", null, null, null, SearchQuery.Sort.NEWEST, 1000, 20)).await();
    assertEquals(List.of(), beyond.hits());
    assertEquals(DOCS.size(), beyond.total());
  }

  @Test
  void suggestsLessonsAndResourcesAsYouType() {
    assertTrue(index.suggest("分数", null, 10).await().contains(new Suggestion("分数的初步认识", "lesson")));
    List<Suggestion> fens = index.suggest("fens", null, 10).await();
    assertTrue(fens.stream().anyMatch(s -> s.text().startsWith("分数的初步认识")), fens.toString());
    assertTrue(fens.contains(new Suggestion("分数的简单应用 课例", "resource")), fens.toString());
    assertTrue(index.suggest("fsd", null, 10).await().contains(new Suggestion("分数的初步认识", "lesson")));
    assertTrue(index.suggest("fen shu", null, 10).await().contains(new Suggestion("分数的初步认识", "lesson")));

    List<Suggestion> two = index.suggest("f", null, 2).await();
    assertEquals(2, two.size());
    assertEquals(two.size(), two.stream().map(Suggestion::text).distinct().count());

    assertEquals(List.of(), index.suggest("hdx", List.of("national"), 10).await());
    assertEquals(List.of(new Suggestion("花的学校", "lesson"), new Suggestion("花的学校 教学设计", "resource")),
        index.suggest("hdx", List.of("national", COUNTY), 10).await());
    assertEquals(List.of(), index.suggest("", null, 10).await());
  }

  @Test
  void deleteRemovesAndIgnoresMissingIds() {
    SearchDocument temp = doc("临时资源 周长练习", "exercise", 1, 30, path(MATH3, RECTANGLES, "长方形和正方形的周长"));
    index.upsert(List.of(temp)).await();
    assertTrue(hitIds(search("临时资源")).contains(temp.id()), "searchable as soon as upsert completes");
    index.delete(List.of(temp.id(), UUID.randomUUID())).await();
    assertEquals(List.of(), hitIds(search("临时资源")));
    index.delete(List.of()).await();
  }

  /**
   * Searches use Elasticsearch's shard request cache: a search asked again is answered from it, and a write (which
   * refreshes the index) is seen by the very next search, cached or not — facet counts and totals included.
   */
  @Test
  void aRepeatedSearchComesFromTheRequestCacheAndStillSeesEveryWrite() throws Exception {
    SearchResult before = search("长方形");
    long hits = requestCacheHits();
    assertEquals(hitIds(before), hitIds(search("长方形")));
    assertTrue(requestCacheHits() > hits, "the same search again is a request cache hit");

    SearchDocument added = doc("长方形 缓存之后发布的练习", "exercise", 0, 32, path(MATH3, RECTANGLES, "长方形和正方形的周长"));
    index.upsert(List.of(added)).await();
    SearchResult after = search("长方形");
    assertTrue(hitIds(after).contains(added.id()), "published after the search was cached, found at once");
    assertEquals(before.total() + 1, after.total());
    assertEquals(counts(before, "type").getOrDefault("exercise", 0L) + 1, counts(after, "type").get("exercise"));

    index.delete(List.of(added.id())).await();
    assertEquals(hitIds(before), hitIds(search("长方形")), "and gone at once when withdrawn");
  }

  @Test
  void withTheRequestCacheOffEverySearchIsComputedAfresh() throws Exception {
    SearchIndex uncached = new ElasticsearchIndex(es, new SearchOptions(List.of(TestStack.get().endpoints().esUrl()), null, PREFIX, false));
    SearchQuery q = query("司马光", null, null, null, SearchQuery.Sort.RELEVANCE, 1, 50);
    List<UUID> first = hitIds(uncached.search(q).await());
    assertFalse(first.isEmpty());
    long hits = requestCacheHits();
    long misses = requestCacheMisses();
    assertEquals(first, hitIds(uncached.search(q).await()));
    assertEquals(hits, requestCacheHits(), "no answer from the cache");
    assertEquals(misses, requestCacheMisses(), "nor a lookup in it");
    assertEquals(first, hitIds(search("司马光")), "the same hits as the cached default");
  }

  private static long requestCacheMisses() throws Exception {
    return es.client().indices().stats(s -> s.index(PREFIX + "-resources").metric("request_cache")).get()
        .all().total().requestCache().missCount();
  }

  private static long requestCacheHits() throws Exception {
    return es.client().indices().stats(s -> s.index(PREFIX + "-resources").metric("request_cache")).get()
        .all().total().requestCache().hitCount();
  }

  @Test
  void upsertReplaces() {
    SearchDocument v1 = doc("期中复习 第一版", "exercise", 1, 31, path(MATH3, "3 测量"));
    index.upsert(List.of(v1)).await();
    SearchDocument v2 = new SearchDocument(v1.id(), "期中复习 修订版", v1.description(), v1.tags(), v1.type(), v1.scope(),
        v1.visibility(), v1.catalogPaths(), v1.catalogNodeIds(), v1.stages(), v1.subjects(), v1.editions(), v1.grades(), false, 2, v1.publishedAt(), List.of());
    index.upsert(List.of(v2)).await();
    assertEquals(List.of("期中复习 修订版"), search("期中复习").hits().stream().map(SearchResult.Hit::title).toList());
    index.delete(List.of(v1.id())).await();
  }

  @Test
  void rebuildSwapsWithoutAWindowAndGivesTheSameResults() throws Exception {
    List<String> queries = List.of("分数的简单应用", "fsdcbrs", "长方形 周长", "", "司马光");
    List<List<UUID>> before = queries.stream().map(q -> hitIds(search(q))).toList();
    Set<String> oldIndices = concreteIndices();

    SearchIndex.Rebuild rebuild = index.beginRebuild().await();
    rebuild.add(DOCS.subList(0, 7)).await();
    rebuild.add(DOCS.subList(7, DOCS.size())).await();
    SearchDocument publishedMeanwhile = doc("重建期间发布的课件", "courseware", 0, 40, path(MATH3, "3 测量"));
    index.upsert(List.of(publishedMeanwhile)).await();
    assertEquals(before.get(0), hitIds(search(queries.get(0))), "searches use the live index during a rebuild");

    Future<Void> commit = rebuild.commit();
    int searches = 0;
    do {
      assertEquals(before.get(0), hitIds(search(queries.get(0))), "every search succeeds while the alias moves");
      searches++;
    } while (!commit.isComplete());
    commit.await();
    assertTrue(searches > 0);

    Set<String> newIndices = concreteIndices();
    assertEquals(1, newIndices.size());
    assertNotEquals(oldIndices, newIndices);
    for (String old : oldIndices) {
      assertFalse(es.client().indices().exists(e -> e.index(old)).get().value(), "old index deleted: " + old);
    }
    assertEquals(List.of(publishedMeanwhile.id()), hitIds(search("重建期间")), "writes during the rebuild survive the swap");
    index.delete(List.of(publishedMeanwhile.id())).await();
    assertEquals(before, queries.stream().map(q -> hitIds(search(q))).toList());
  }

  @Test
  void abortDropsTheNewIndexAndKeepsTheLiveOne() throws Exception {
    Set<String> live = concreteIndices();
    index.beginRebuild().compose(r -> r.add(List.of(COURSEWARE)).compose(v -> r.abort())).await();
    assertEquals(live, concreteIndices());
    assertEquals(live, allIndices(), "no rebuild index left behind");
    assertEquals(DOCS.size(), search("").total());
  }

  @Test
  void unreachableElasticsearchFailsAsUnavailable() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    SearchOptions dead = new SearchOptions(List.of("http://127.0.0.1:" + deadPort), null, PREFIX);
    try (Elasticsearch deadEs = new Elasticsearch(vertx, dead)) {
      SearchIndex unreachable = new ElasticsearchIndex(deadEs, dead);
      for (Future<?> f : List.of(unreachable.search(query("分数", null, null, null, null, 1, 10)),
          unreachable.suggest("fen", null, 5), unreachable.upsert(List.of(COURSEWARE)),
          unreachable.delete(List.of(COURSEWARE.id())), unreachable.ensureIndex(), unreachable.beginRebuild())) {
        Throwable failure = f.transform(ar -> Future.succeededFuture(ar.cause())).await();
        KelianException e = assertInstanceOf(KelianException.class, failure);
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertEquals("search_unavailable", e.code());
        assertEquals("搜索服务暂时不可用，请稍后再试", e.messageZh());
      }
      assertTrue(unreachable.health().check().transform(ar -> Future.succeededFuture(ar.failed())).await());
    }
  }

  @Test
  void searchBeforeTheIndexExistsIsUnavailableNotABug() {
    SearchOptions fresh = new SearchOptions(List.of(TestStack.get().endpoints().esUrl()), null, "t-never-created");
    SearchIndex notYet = new ElasticsearchIndex(es, fresh);
    Throwable failure = notYet.search(query("分数", null, null, null, null, 1, 10))
        .transform(ar -> Future.succeededFuture(ar.cause())).await();
    KelianException e = assertInstanceOf(KelianException.class, failure);
    assertEquals("search_unavailable", e.code());
  }

  // --- helpers

  private static SearchResult search(String text) {
    return index.search(query(text, null, null, null, SearchQuery.Sort.RELEVANCE, 1, 50)).await();
  }

  private static SearchQuery query(String text, String grade, String type, List<String> visibility, SearchQuery.Sort sort,
      int page, int size) {
    return new SearchQuery(text, null, null, null, grade, type, null, null, sort, page, size, visibility);
  }

  private static List<UUID> hitIds(SearchResult r) {
    return r.hits().stream().map(SearchResult.Hit::id).toList();
  }

  private static Set<UUID> ids(SearchDocument... docs) {
    return Stream.of(docs).map(SearchDocument::id).collect(Collectors.toSet());
  }

  private static Map<String, Long> counts(SearchResult r, String facet) {
    return r.facets().get(facet).stream().collect(Collectors.toMap(SearchResult.FacetValue::value, SearchResult.FacetValue::count));
  }

  private static Map<String, Long> expectedCounts(List<SearchDocument> docs, java.util.function.Function<SearchDocument, String> f) {
    return docs.stream().collect(Collectors.groupingBy(f, Collectors.counting()));
  }

  private static SearchDocument doc(String title, String type, long views, int day, List<String> path) {
    return docOnPaths(title, type, views, day, List.of(path));
  }

  private static SearchDocument docOnPaths(String title, String type, long views, int day, List<List<String>> paths) {
    List<String> first = paths.get(0);
    return new SearchDocument(UUID.nameUUIDFromBytes(title.getBytes(java.nio.charset.StandardCharsets.UTF_8)), title,
        "", List.of(), type, "national", List.of("national"), paths, nodeIds(paths),
        List.of(first.get(0)), List.of(first.get(1)), List.of(first.get(2)), List.of(first.get(3)),
        false, views, T0.plus(day, ChronoUnit.DAYS), List.of());
  }

  private static SearchDocument with(SearchDocument d, String scope, String visibilityKey) {
    return new SearchDocument(d.id(), d.title(), d.description(), d.tags(), d.type(), scope, List.of(visibilityKey),
        d.catalogPaths(), d.catalogNodeIds(), d.stages(), d.subjects(), d.editions(), d.grades(), d.featured(), d.viewCount(), d.publishedAt(), d.captions());
  }

  /** Stands in for catalog_nodes.id: one id per distinct path prefix, as PostgreSQL's path_ids would give. */
  private static UUID nodeId(List<String> path) {
    return UUID.nameUUIDFromBytes(String.join("/", path).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Every node on the paths, ancestors included, as SearchOutbox reads them from path_ids. */
  private static List<UUID> nodeIds(List<List<String>> paths) {
    Set<UUID> ids = new java.util.LinkedHashSet<>();
    paths.forEach(p -> {
      for (int depth = 1; depth <= p.size(); depth++) {
        ids.add(nodeId(p.subList(0, depth)));
      }
    });
    return List.copyOf(ids);
  }

  private static SearchResult underNode(String text, List<String> nodePath, String type) {
    return index.search(new SearchQuery(text, null, null, null, null, type, null, nodeId(nodePath), SearchQuery.Sort.RELEVANCE,
        1, 50, null)).await();
  }

  private static List<String> path(List<String> volume, String... below) {
    List<String> p = new ArrayList<>(volume);
    p.addAll(List.of(below));
    return p;
  }

  private static Set<String> concreteIndices() throws Exception {
    return new HashSet<>(es.client().indices().getAlias(g -> g.name(PREFIX + "-resources")).get().result().keySet());
  }

  private static Set<String> allIndices() throws Exception {
    return new HashSet<>(es.client().indices().get(g -> g.index(PREFIX + "-resources*")).get().result().keySet());
  }

  /** The stack keeps its data between runs; destructive wildcards are refused, so delete by name. */
  private static void deleteLeftoversOfEarlierRuns() throws Exception {
    Set<String> left = allIndices();
    if (!left.isEmpty()) {
      es.client().indices().delete(d -> d.index(List.copyOf(left))).get();
    }
  }
}
