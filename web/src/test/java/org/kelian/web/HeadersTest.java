package org.kelian.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;

class HeadersTest {

  @Test
  void contentDispositionKeepsChineseNamesAndDropsPaths() {
    assertEquals("attachment; filename=\"__.pdf\"; filename*=UTF-8''%E8%AF%BE%E4%BB%B6.pdf",
        ContentDisposition.of(false, "../../课件.pdf"));
    assertEquals("inline; filename=\"a_b.txt\"; filename*=UTF-8''a%22b.txt", ContentDisposition.of(true, "a\"b.txt"));
  }

  @Test
  void tusMetadataIsBase64Pairs() {
    Map<String, String> m = UploadEndpoint.metadata("resourceId YWJj,filename 5YiG5pWwLnBkZg==,flag");
    assertEquals("abc", m.get("resourceId"));
    assertEquals("分数.pdf", m.get("filename"));
    assertEquals("", m.get("flag"));
    assertThrows(KelianException.class, () -> UploadEndpoint.metadata("filename ***"));
  }

  @Test
  void csvCellsAreQuotedAndFormulasDefused() {
    assertEquals("\"a\"\"b\"", CoverageEndpoint.cell("a\"b"));
    assertEquals("\"'=1+1\"", CoverageEndpoint.cell("=1+1"));
  }
}
