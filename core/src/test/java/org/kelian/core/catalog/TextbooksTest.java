package org.kelian.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;

class TextbooksTest {

  static JsonObject book(String grade, JsonArray units) {
    return new JsonObject().put("stage", "小学").put("subject", "语文").put("edition", "统编版").put("grade", grade)
        .put("volume", "上册").put("units", units);
  }

  @Test
  void booksBecomeNodesInTreeOrderWithStableIdsAndSharedAncestors() {
    JsonArray units = new JsonArray().add(new JsonObject().put("title", "第四单元").put("lessons", new JsonArray()
        .add(new JsonObject().put("title", "7 古诗二首").put("children", new JsonArray()
            .add(new JsonObject().put("title", "登鹳雀楼")).add(new JsonObject().put("title", "望庐山瀑布"))))));
    List<Textbooks.NodeSpec> nodes = Textbooks.parse(new JsonArray().add(book("二年级", units)).add(book("三年级", new JsonArray())));
    // stage, subject, edition, grade, volume, unit, lesson, 2 sections; then only grade and volume of the second book are new
    assertEquals(11, nodes.size());
    assertEquals(List.of(CatalogKind.STAGE, CatalogKind.SUBJECT, CatalogKind.EDITION, CatalogKind.GRADE, CatalogKind.VOLUME,
        CatalogKind.UNIT, CatalogKind.LESSON, CatalogKind.SECTION, CatalogKind.SECTION, CatalogKind.GRADE, CatalogKind.VOLUME),
        nodes.stream().map(Textbooks.NodeSpec::kind).toList());
    Textbooks.NodeSpec poem = nodes.get(8);
    assertEquals("望庐山瀑布", poem.title());
    assertEquals(1, poem.position());
    assertEquals(List.of("小学", "语文", "统编版", "二年级", "上册", "第四单元", "7 古诗二首", "望庐山瀑布"), poem.pathTitles());
    assertEquals(Textbooks.idOf(poem.pathTitles()), poem.id());
    assertEquals(nodes.get(6).id(), poem.parentId());
    assertEquals(nodes.get(2).id(), nodes.get(9).parentId(), "the second book's grade hangs under the shared edition");
  }

  @Test
  void malformedBooksAreNamed() {
    KelianException e = assertThrows(KelianException.class,
        () -> Textbooks.parse(new JsonArray().add(book("一年级", new JsonArray())).add(new JsonObject().put("stage", "小学"))));
    assertEquals("invalid_textbook", e.code());
    assertEquals("Textbook #2 lacks subject", e.messageEn());
    assertThrows(KelianException.class, () -> Textbooks.parse(new JsonArray()));
    assertThrows(KelianException.class, () -> Textbooks.parse(new JsonArray().add(book("一年级", new JsonArray().add("not an object")))));
  }

  @Test
  void kindsFollowDepth() {
    assertEquals(CatalogKind.STAGE, CatalogKind.atDepth(1));
    assertEquals(CatalogKind.LESSON, CatalogKind.atDepth(7));
    assertEquals(CatalogKind.SECTION, CatalogKind.atDepth(9));
    assertEquals(CatalogKind.SECTION, CatalogKind.SECTION.childKind());
  }
}
