package org.kelian.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Marks as Elasticsearch's unified highlighter (html encoder, whole fields) made them on the same analysis; the
 * expected strings were checked against Elasticsearch on the benchmark corpus.
 */
class HighlightsTest {

  @Test
  void marksTheTypedBigramsAndMergesOverlaps() {
    assertEquals("3.4 <em>实际问题</em>与一元一次方程", Highlights.of("实际问题").mark("3.4 实际问题与一元一次方程"));
    assertEquals("23 <em>司马光</em>", Highlights.of("司马光").mark("23 司马光"));
    assertEquals("<em>分数</em>的初步<em>认识</em>", Highlights.of("分数 认识").mark("分数的初步认识"));
    assertNull(Highlights.of("周长").mark("分数的初步认识"));
  }

  @Test
  void adjacentMarksStayApart() {
    assertEquals("<em>分数</em><em>认识</em>", Highlights.of("分数 认识").mark("分数认识"));
  }

  @Test
  void latinWordsAreWholeTokensCaseInsensitive() {
    assertEquals("<em>Unit</em> <em>1</em> Hello", Highlights.of("unit 1").mark("Unit 1 Hello"));
    assertNull(Highlights.of("hel").mark("Unit 1 Hello"), "a word is matched whole, not by prefix");
    assertNull(Highlights.of("3").mark("3.4 实际问题"), "3.4 is one token");
  }

  @Test
  void everythingButTheMarksIsEscaped() {
    assertEquals("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;<em>几分之一</em> 课件",
        Highlights.of("几分之一").mark("<script>alert(1)</script>几分之一 课件"));
  }

  @Test
  void pinyinAndInitialsMatchWholeNames() {
    Highlights smg = Highlights.of("smg");
    assertNull(smg.mark("23 司马光"));
    assertTrue(smg.pinyinMatchesName("司马光"));
    assertTrue(Highlights.of("simaguang").pinyinMatchesName("司马光"));
    assertTrue(Highlights.of("fenshu").keysMatchTitle("分数的初步认识"), "a prefix of the joined pinyin");
    assertTrue(Highlights.of("burenshi").keysMatchTitle("分数的初步认识"), "a phrase of its syllables");
    assertTrue(Highlights.of("xiaozhang").keysMatchTitle("校长"), "a polyphone's other reading");
    assertFalse(Highlights.of("zhouchang").keysMatchTitle("分数的初步认识"));
    assertTrue(Highlights.of("分数的初步认识").keysMatchTitle("分数的初步认识"), "the exact title");
    assertFalse(Highlights.of("分数").pinyinMatchesName("分数的初步认识"), "Han input is not pinyin");
  }

  @Test
  void noTermsNoMarks() {
    assertNull(Highlights.of("").mark("分数"));
    assertNull(Highlights.of("  ").mark("分数"));
    assertFalse(Highlights.of("").keysMatchTitle("分数"));
  }
}
