package org.kelian.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.kelian.core.search.SearchQuery;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;
import org.kelian.it.Api;
import org.kelian.it.TestPlatform;
import org.kelian.it.TestStack;
import org.kelian.search.Elasticsearch;
import org.kelian.search.ElasticsearchIndex;
import org.kelian.search.Pinyin;

/**
 * Search on a generated corpus spread over the real catalog: bulk indexing time from PostgreSQL, then the same
 * mixed queries (Chinese, full pinyin, initials, faceted) at concurrency 16 through {@code /api/v1/search} and
 * straight to Elasticsearch (the request body the adapter sends), in one run: both warmed up, then measured in
 * alternating slices ({@link #SLICES} per side, {@code seconds} in all per side).
 */
public final class SearchBench {

  static final int CONCURRENCY = 16;
  static final int WARM_UP_SLICE_SECONDS = 10;
  static final int WARM_UP_MIN_ROUNDS = 6;
  static final int WARM_UP_MAX_SECONDS = 360;
  static final double STEADY = 0.10;
  static final int WARM_UP_MIN_REQUESTS = 50_000;
  static final int SLICES = 3;

  public static void main(String[] args) throws Exception {
    int corpus = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    // "uncached": the platform runs with KELIAN_ES_REQUEST_CACHE=false, and the raw side sends its request (with
    // request_cache=false): every search is worked out afresh on both sides, as one asked for the first time since
    // the library changed is.
    boolean cached = !(args.length > 2 && args[2].equals("uncached"));
    System.out.println(Bench.header("search benchmark, " + corpus + " resources, " + seconds + " s per side"
        + (cached ? "" : ", request cache off")));
    TestStack.get();
    PlatformOptions options = TestPlatform.options("benchsearch",
        cached ? Map.of() : Map.of(org.kelian.search.SearchOptions.REQUEST_CACHE.env(), "false"));
    Platform platform = Platform.start(options).await();
    try {
      Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      admin.post("/api/v1/catalog/import", new JsonArray(Files.readString(Path.of(System.getProperty("kelian.repo.root", ".."),
          "deploy/src/main/resources/seed/textbooks.json"))));
      long t0 = System.nanoTime();
      generate(platform, corpus);
      System.out.printf("generated %d published resources in PostgreSQL in %.1f s%n", corpus, (System.nanoTime() - t0) / 1e9);

      t0 = System.nanoTime();
      long indexed = platform.indexer().rebuild().await();
      double indexSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("bulk indexing from PostgreSQL (rebuild behind the alias): %d documents in %.1f s (target ≤ 120 s)%n",
          indexed, indexSeconds);

      List<SearchQuery> queries = queries(platform);
      String token = Api.loginToken(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Elasticsearch es = new Elasticsearch(platform.vertx(), options.search());
      ElasticsearchIndex index = new ElasticsearchIndex(es, options.search());
      String esBase = options.search().urls().get(0);
      String esUrl = esBase + "/" + index.alias() + "/_search";
      List<String> bodies = queries.stream().map(index::requestJson).toList();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

      IntFunction<HttpRequest> api = i -> HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + platform.port() + "/api/v1/search?"
          + params(queries.get(i % queries.size())))).header("Authorization", "Bearer " + token).GET().build();
      // "raw" is the request the adapter sends, path and parameters included (its shard request cache use with it);
      // "straight, cache off" (when the platform caches) is the same request with only the cache turned off, so that
      // every query is worked out again.
      String path = index.requestPath(queries.get(0));
      IntFunction<HttpRequest> raw = straight(URI.create(esBase + path), bodies);

      List<Side> sides = new ArrayList<>(List.of(new Side("through /api/v1/search   ", api), new Side("straight to Elasticsearch", raw)));
      if (cached) {
        sides.add(new Side("straight, cache off      ", straight(URI.create(esBase + path.replace("request_cache=true", "request_cache=false")), bodies)));
      }
      java.util.function.Supplier<long[]> counters = () -> esCounters(http, esBase, index.alias());
      warmUp(http, sides, counters);
      // The sides alternate in slices, so that whatever else the (shared) machine runs meanwhile weighs on all alike
      // and the ratios stay meaningful.
      int slice = Math.max(1, seconds / SLICES);
      for (int i = 0; i < SLICES; i++) {
        for (int k = 0; k < sides.size(); k++) { // each round starts with the next side: none is always first
          Side side = sides.get((i + k) % sides.size());
          side.add(side.measure(http, slice, counters));
        }
      }
      for (Side side : sides) {
        System.out.println(side.name + ": " + side.result() + ", " + side.cacheLine());
      }
      for (Side side : sides) {
        System.out.println("CPU per request, " + side.name + ": " + Cpu.perRequest(side.cpu, side.result().nanos.length));
      }
      Result viaApi = sides.get(0).result();
      Result direct = sides.get(1).result();
      System.out.printf("API/raw p95 ratio %.2f (target ≤ 1.5); API p95 %.1f ms (target ≤ 50 ms); API %.0f req/s (target ≥ 300)%n",
          viaApi.latency.p95() / direct.latency.p95(), viaApi.latency.p95(), viaApi.throughput);
      forms(http, esUrl, bodies);
      es.close();
    } finally {
      platform.close();
      System.exit(0);
    }
  }

  static IntFunction<HttpRequest> straight(URI uri, List<String> bodies) {
    return i -> HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size()))).build();
  }

  /**
   * The index's shard request cache counters (hits, misses) and the node's HTTP connections opened so far: a client
   * that kept opening connections would make Elasticsearch pay for each.
   */
  static long[] esCounters(HttpClient http, String esBase, String alias) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(esBase + "/" + alias + "/_stats/request_cache")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      JsonObject c = new JsonObject(r.body()).getJsonObject("_all").getJsonObject("total").getJsonObject("request_cache");
      HttpResponse<String> n = http.send(HttpRequest.newBuilder(URI.create(esBase + "/_nodes/_local/stats/http")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      JsonObject nodes = new JsonObject(n.body()).getJsonObject("nodes");
      long opened = nodes.getJsonObject(nodes.fieldNames().iterator().next()).getJsonObject("http").getLong("total_opened");
      return new long[] {c.getLong("hit_count"), c.getLong("miss_count"), opened};
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** One way of sending the queries: its slices, the CPU they cost, the request cache's hits and misses, connections opened. */
  static final class Side {
    final String name;
    final IntFunction<HttpRequest> request;
    final List<Result> slices = new ArrayList<>();
    final double[] cpu = new double[Cpu.PARTS.length];
    long hits;
    long misses;
    long connections;

    Side(String name, IntFunction<HttpRequest> request) {
      this.name = name;
      this.request = request;
    }

    /** One slice of load on this side, with what it cost and what Elasticsearch's counters say about it. */
    Slice measure(HttpClient http, int seconds, java.util.function.Supplier<long[]> counters) throws InterruptedException {
      long[] k0 = counters.get();
      double[] c0 = Cpu.seconds();
      Result r = load(http, request, seconds);
      double[] c1 = Cpu.seconds();
      long[] k1 = counters.get();
      double[] cpu = new double[c0.length];
      for (int k = 0; k < c0.length; k++) {
        cpu[k] = c1[k] - c0[k];
      }
      return new Slice(r, cpu, k1[0] - k0[0], k1[1] - k0[1], k1[2] - k0[2]);
    }

    void add(Slice s) {
      slices.add(s.result());
      for (int k = 0; k < cpu.length; k++) {
        cpu[k] += s.cpu()[k];
      }
      hits += s.hits();
      misses += s.misses();
      connections += s.connections();
    }

    Result result() {
      return Result.merge(slices);
    }

    String cacheLine() {
      return String.format("request cache %d hits, %d misses, %d connections opened at Elasticsearch", hits, misses, connections);
    }
  }

  /**
   * What the query forms of 2026-11-29 save, one request at a time on the same index ({@code took}, Elasticsearch's
   * own time, so that neither HTTP nor the load generator counts): the request as the adapter sends it now, and the
   * same request with one earlier form put back — facet counts as one filter aggregation per facet, hits read from
   * {@code _source}, pinyin phrases over single syllables (the {@code standard} analyser) — and with all three.
   * Kinds as in {@link #queries}: 0–1 Chinese lesson titles, 2 full pinyin, 3 initials, 4 two characters + 3 facets.
   */
  static void forms(HttpClient http, String esUrl, List<String> bodies) throws Exception {
    Map<String, java.util.function.UnaryOperator<JsonObject>> forms = new java.util.LinkedHashMap<>();
    forms.put("now", b -> b);
    forms.put("flat facet filters", SearchBench::flatFacets);
    forms.put("hits from _source", SearchBench::fromSource);
    forms.put("unigram pinyin phrases", SearchBench::unigramPinyin);
    forms.put("all three (before)", b -> unigramPinyin(fromSource(flatFacets(b))));
    int kinds = 5;
    Map<String, double[]> took = new java.util.LinkedHashMap<>();
    forms.keySet().forEach(f -> took.put(f, new double[kinds + 1]));
    int rounds = 3; // the first warms up and is not counted
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < bodies.size(); i++) {
        for (var form : forms.entrySet()) { // interleaved, so that the machine's other load weighs on every form alike
          String body = form.getValue().apply(new JsonObject(bodies.get(i))).encode();
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(esUrl + "?request_cache=false"))
              .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException(form.getKey() + ": " + r.body());
          }
          if (round > 0) {
            long t = new JsonObject(r.body()).getLong("took");
            took.get(form.getKey())[i % kinds] += t;
            took.get(form.getKey())[kinds] += t;
          }
        }
      }
    }
    double perKind = (rounds - 1) * bodies.size() / (double) kinds;
    double all = (rounds - 1) * bodies.size();
    System.out.println("query forms, Elasticsearch took per query (ms), one at a time, kinds 0-1 Chinese, 2 pinyin, 3 initials, 4 faceted:");
    double now = took.get("now")[kinds] / all;
    took.forEach((form, t) -> {
      StringBuilder line = new StringBuilder(String.format("  %-24s", form));
      for (int k = 0; k < kinds; k++) {
        line.append(String.format(" %d: %5.2f", k, t[k] / perKind));
      }
      line.append(String.format("   all: %5.2f (%.2f× now)", t[kinds] / all, t[kinds] / all / now));
      System.out.println(line);
    });
  }

  /** Facet counts as one filter aggregation per facet, each with every other chosen facet's filter. */
  static JsonObject flatFacets(JsonObject body) {
    Map<String, String> fields = Map.of("stage", "stages", "subject", "subjects", "edition", "editions", "grade", "grades", "type", "type");
    Map<String, Object> chosen = new java.util.HashMap<>();
    for (Object f : body.getJsonObject("post_filter").getJsonObject("bool").getJsonArray("filter")) {
      JsonObject term = ((JsonObject) f).getJsonObject("term");
      String field = term.fieldNames().iterator().next();
      fields.forEach((facet, fld) -> {
        if (fld.equals(field)) {
          chosen.put(facet, f);
        }
      });
    }
    JsonObject aggs = new JsonObject();
    fields.forEach((facet, field) -> {
      JsonArray others = new JsonArray();
      chosen.forEach((k, f) -> {
        if (!k.equals(facet)) {
          others.add(f);
        }
      });
      aggs.put(facet, new JsonObject().put("filter", new JsonObject().put("bool", new JsonObject().put("filter", others)))
          .put("aggregations", new JsonObject().put("values", new JsonObject().put("terms",
              new JsonObject().put("field", field).put("size", 100)))));
    });
    return body.put("aggregations", aggs);
  }

  static JsonObject fromSource(JsonObject body) {
    body.remove("stored_fields");
    body.remove("docvalue_fields");
    return body.put("_source", new JsonObject().put("includes", new JsonArray().add("title").add("type")));
  }

  /** Pinyin phrases analysed into single syllables, as when the pinyin fields had no syllable bigrams. */
  static JsonObject unigramPinyin(JsonObject body) {
    walk(body.getValue("query"));
    return body;
  }

  private static void walk(Object node) {
    if (node instanceof JsonObject o) {
      JsonObject phrase = o.getJsonObject("match_phrase");
      if (phrase != null) {
        phrase.fieldNames().stream().filter(f -> f.endsWith("Pinyin")).forEach(f -> phrase.getJsonObject(f).put("analyzer", "standard"));
      }
      o.forEach(e -> walk(e.getValue()));
    } else if (node instanceof JsonArray a) {
      a.forEach(SearchBench::walk);
    }
  }

  /**
   * CPU time of this JVM (platform and load generator) and of the stack's child processes, from /proc (Linux): where
   * a request's cost goes, whatever else the machine runs meanwhile.
   */
  static final class Cpu {
    static final String[] PARTS = {"bench JVM (platform + load generator)", "Elasticsearch", "PostgreSQL"};
    private static final double TICK = 100.0; // USER_HZ

    static double[] seconds() {
      double[] out = new double[PARTS.length];
      out[0] = of(ProcessHandle.current().pid());
      // The stack's servers are found by their data folder (PostgreSQL daemonizes, so it is no descendant of ours),
      // each with its own children (PostgreSQL's backends).
      String data = System.getProperty("kelian.test.data", "target/test-data");
      String dataDir = Path.of(data).toAbsolutePath().toString();
      long self = ProcessHandle.current().pid();
      ProcessHandle.allProcesses().forEach(p -> {
        String cmd = cmdline(p.pid());
        if (p.pid() == self || (!cmd.contains(dataDir) && !cmd.contains("kelian-es-"))) {
          return;
        }
        String program = cmd.split(" ", 2)[0];
        int part = cmd.contains("org.elasticsearch.") ? 1 : program.endsWith("/postgres") ? 2 : -1;
        if (part > 0) {
          out[part] += of(p.pid());
          if (part == 2) {
            p.descendants().forEach(c -> out[2] += of(c.pid()));
          }
        }
      });
      return out;
    }

    static String perRequest(double[] cpu, int requests) {
      StringBuilder b = new StringBuilder();
      double total = 0;
      for (int k = 0; k < PARTS.length; k++) {
        double ms = cpu[k] * 1000 / Math.max(1, requests);
        total += ms;
        b.append(PARTS[k]).append(String.format(" %.2f ms, ", ms));
      }
      return b.append(String.format("total %.2f ms", total)).toString();
    }

    private static String cmdline(long pid) {
      try {
        return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
      } catch (Exception e) {
        return "";
      }
    }

    /** utime + stime of one process (its threads included), in seconds; 0 when it is gone or unreadable. */
    private static double of(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICK;
      } catch (Exception e) {
        return 0;
      }
    }
  }

  record Result(Bench.Latency latency, double throughput, int errors, long[] nanos, double seconds) {
    static Result merge(List<Result> parts) {
      long[] all = parts.stream().flatMapToLong(p -> java.util.Arrays.stream(p.nanos)).toArray();
      double seconds = parts.stream().mapToDouble(Result::seconds).sum();
      int errors = parts.stream().mapToInt(Result::errors).sum();
      return new Result(Bench.Latency.of(all, all.length), all.length / seconds, errors, all, seconds);
    }

    @Override
    public String toString() {
      return latency + String.format(", %.0f req/s, %d errors", throughput, errors);
    }
  }

  record Slice(Result result, double[] cpu, long hits, long misses, long connections) {
  }

  /**
   * Load on every side in turn until each side's CPU per request (all three servers' and the generator's) is within
   * {@link #STEADY} of its previous round (at least
   * {@link #WARM_UP_MIN_ROUNDS} rounds and {@link #WARM_UP_MIN_REQUESTS} requests on every side — the JIT counts
   * calls, not seconds — at most {@link #WARM_UP_MAX_SECONDS} s in all). Three JVMs take part — the platform, the
   * load generator and Elasticsearch — and on 2 shared cores their JIT compilers keep working for minutes: measured on
   * 2026-11-30 with a fresh Elasticsearch at concurrency 16, its CPU per cached search was 11 ms in the first 10 s of
   * load, 1.6 ms after a minute and a half and 0.7 ms after four minutes. A county's servers run warm for weeks; a
   * benchmark that measures the compilers measures nothing the county sees, and charges them to whichever side runs
   * first. Each round is printed.
   */
  static void warmUp(HttpClient http, List<Side> sides, java.util.function.Supplier<long[]> counters) throws InterruptedException {
    double[] last = new double[sides.size()];
    long[] requests = new long[sides.size()];
    int maxRounds = WARM_UP_MAX_SECONDS / (WARM_UP_SLICE_SECONDS * sides.size());
    for (int round = 1; round <= maxRounds; round++) {
      boolean steady = round >= WARM_UP_MIN_ROUNDS;
      StringBuilder line = new StringBuilder(String.format("warm-up round %d:", round));
      for (int i = 0; i < sides.size(); i++) {
        Side side = sides.get(i);
        Slice s = side.measure(http, WARM_UP_SLICE_SECONDS, counters);
        double cpu = java.util.Arrays.stream(s.cpu()).sum() * 1000 / Math.max(1, s.result().nanos.length);
        requests[i] += s.result().nanos.length;
        steady &= Math.abs(cpu - last[i]) <= STEADY * last[i] && requests[i] >= WARM_UP_MIN_REQUESTS;
        last[i] = cpu;
        line.append(String.format(" %s %.0f req/s, p95 %.1f ms, CPU %.2f ms/req;", side.name.strip(), s.result().throughput,
            s.result().latency.p95(), cpu));
      }
      System.out.println(line);
      if (steady) {
        return;
      }
    }
    System.out.println("warm-up: not steady after " + maxRounds + " rounds; measuring anyway");
  }

  static Result load(HttpClient http, IntFunction<HttpRequest> request, int seconds) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[][] lat = new long[CONCURRENCY][];
    int[] counts = new int[CONCURRENCY];
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int w = 0; w < CONCURRENCY; w++) {
      int worker = w;
      lat[w] = new long[200_000];
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end && counts[worker] < lat[worker].length) {
          HttpRequest req = request.apply(next.getAndIncrement());
          long s = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          lat[worker][counts[worker]++] = System.nanoTime() - s;
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long[] all = Bench.merge(lat, counts);
    int total = all.length;
    return new Result(Bench.Latency.of(all, total), total / elapsed, errors.get(), all, elapsed);
  }

  /** Published resources over every lesson-level node, with titles as teachers write them (often generic). */
  static void generate(Platform platform, int n) {
    String sql = """
        with leaves as (
          select id, regexp_replace(title, '^[0-9.]+\\s*', '') as title, row_number() over (order by id) - 1 as i
          from catalog_nodes where kind in ('lesson', 'section') or (kind = 'unit' and not exists
            (select 1 from catalog_nodes c where c.parent_id = catalog_nodes.id))
        ), total as (select count(*) as c from leaves),
        gen as (
          select g, gen_random_uuid() as id, (select id from leaves where i = (g * 7919) % (select c from total)) as node,
                 (select title from leaves where i = (g * 7919) % (select c from total)) as lesson
          from generate_series(1, $1) g
        ), ins as (
          insert into resources (id, title, description, type, scope, status, tags, owner_id, view_count, published_at)
          select id,
                 case g % 5 when 0 then '教学课件' when 1 then lesson || ' 课例' when 2 then lesson || ' 课堂练习'
                            when 3 then lesson || ' 教学设计' else '第' || (g % 3 + 1) || '课时 ' || lesson end,
                 '本资源配合' || lesson || '使用',
                 (array['video','courseware','lesson_design','task_sheet','exercise','material','textbook','recording'])[g % 8 + 1],
                 'national', 'published', array['优质课'], (select id from users where username = 'admin'),
                 (g * 31) % 997, now() - (g % 365) * interval '1 day'
          from gen returning id
        )
        insert into resource_catalog_nodes (resource_id, node_id) select id, node from gen
        """;
    platform.pool().preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.of(n)).await();
  }

  /** Lesson titles in Chinese, full pinyin and initials, and short faceted queries. */
  static List<SearchQuery> queries(Platform platform) {
    List<String> titles = new ArrayList<>();
    List<JsonObject> facets = new ArrayList<>();
    for (Row r : platform.pool().query("select regexp_replace(title, '^[0-9.]+\\s*', '') as t, path_titles from catalog_nodes "
        + "where kind = 'lesson' order by id limit 300").execute().await()) {
      titles.add(r.getString("t"));
      String[] p = r.getArrayOfStrings("path_titles");
      facets.add(new JsonObject().put("stage", p[0]).put("subject", p[1]).put("grade", p[3]));
    }
    Random random = new Random(7);
    List<SearchQuery> out = new ArrayList<>();
    for (int i = 0; i < titles.size(); i++) {
      String t = titles.get(i);
      String text = switch (i % 5) {
        case 0, 1 -> t;
        case 2 -> Pinyin.of(t).joined();
        case 3 -> Pinyin.of(t).initials();
        default -> t.length() > 2 ? t.substring(0, 2) : t;
      };
      JsonObject f = i % 5 == 4 ? facets.get(random.nextInt(facets.size())) : new JsonObject();
      out.add(new SearchQuery(text, f.getString("stage"), f.getString("subject"), null, f.getString("grade"), null, null, null,
          SearchQuery.Sort.RELEVANCE, 1, 20, null));
    }
    return out;
  }

  static String params(SearchQuery q) {
    StringBuilder b = new StringBuilder("q=").append(URLEncoder.encode(q.text(), StandardCharsets.UTF_8));
    if (q.stage() != null) {
      b.append("&stage=").append(URLEncoder.encode(q.stage(), StandardCharsets.UTF_8));
      b.append("&subject=").append(URLEncoder.encode(q.subject(), StandardCharsets.UTF_8));
      b.append("&grade=").append(URLEncoder.encode(q.grade(), StandardCharsets.UTF_8));
    }
    return b.toString();
  }
}
