package org.kelian.search;

import java.util.Arrays;
import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** The Elasticsearch cluster. In local mode the URL is the child process's and may be left unset. */
public record SearchOptions(List<String> urls, String apiKey, String indexPrefix, boolean requestCache) {

  public static final Setting URLS = Setting.of("KELIAN_ES_URLS", "elasticsearch.urls", null,
      "Comma-separated Elasticsearch URLs, e.g. https://es1:9200,https://es2:9200 (required in production; local mode runs its own node)");
  public static final Setting API_KEY = Setting.of("KELIAN_ES_API_KEY", "elasticsearch.apiKey", null,
      "Elasticsearch API key (the encoded form); sent as 'Authorization: ApiKey ...'");
  public static final Setting INDEX_PREFIX = Setting.of("KELIAN_ES_INDEX_PREFIX", "elasticsearch.indexPrefix", "kelian",
      "Prefix of every index and alias Kelian creates");

  public static final Setting REQUEST_CACHE = Setting.of("KELIAN_ES_REQUEST_CACHE", "elasticsearch.requestCache", "true",
      "Ask Elasticsearch to keep search answers in its shard request cache (emptied at the refresh after a write); false computes every search afresh");

  public static final List<Setting> SETTINGS = List.of(URLS, API_KEY, INDEX_PREFIX, REQUEST_CACHE);

  /** With the request cache on, the default. */
  public SearchOptions(List<String> urls, String apiKey, String indexPrefix) {
    this(urls, apiKey, indexPrefix, true);
  }

  public static SearchOptions from(Config c) {
    String urls = c.get(URLS);
    return new SearchOptions(urls == null ? List.of() : Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList(),
        c.get(API_KEY), c.require(INDEX_PREFIX), c.getBoolean(REQUEST_CACHE));
  }

  public SearchOptions withUrls(List<String> newUrls) {
    return new SearchOptions(newUrls, apiKey, indexPrefix, requestCache);
  }

  public SearchOptions withIndexPrefix(String prefix) {
    return new SearchOptions(urls, apiKey, prefix, requestCache);
  }
}
