package org.kelian.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The marks of recent queries are shared by their answers, never mixed between queries, and bounded. */
class MarksTest {

  @Test
  void aQueryAskedAgainSharesItsMarksAndEachQueryKeepsItsOwn() {
    ResourceHits.Marks fractions = ResourceHits.Marks.of("分数 认识");
    assertEquals("<em>分数</em>的初步<em>认识</em>", fractions.title("分数的初步认识"));
    assertSame(fractions, ResourceHits.Marks.of("分数 认识"));
    assertEquals("<em>分数</em>的初步<em>认识</em>", ResourceHits.Marks.of("分数 认识").title("分数的初步认识"));

    ResourceHits.Marks perimeter = ResourceHits.Marks.of("周长");
    assertNull(perimeter.title("分数的初步认识"), "marked for another query, not for this one");
    assertEquals("长方形的<em>周长</em>", perimeter.element("长方形的周长", true));
    assertNull(fractions.element("长方形的周长", true));
    // pinyin marks the whole name of a unit or lesson, not the upper levels of the path
    assertEquals("<em>8 分数的初步认识</em>", ResourceHits.Marks.of("fsdcbrs").element("8 分数的初步认识", true));
    assertNull(ResourceHits.Marks.of("fsdcbrs").element("8 分数的初步认识", false));
  }

  @Test
  void memoryIsBoundedAndStartsAfreshWhenFull() {
    ResourceHits.Marks marks = ResourceHits.Marks.of("教学 课件");
    for (int i = 0; i <= ResourceHits.Marks.MAX_HELD; i++) {
      marks.title("教学课件 " + i);
      assertTrue(ResourceHits.Marks.held() <= ResourceHits.Marks.MAX_HELD);
    }
    ResourceHits.Marks again = ResourceHits.Marks.of("教学 课件");
    assertNotSame(marks, again, "the full memory was dropped");
    assertEquals("<em>教学</em><em>课件</em> 7", again.title("教学课件 7"));
  }
}
