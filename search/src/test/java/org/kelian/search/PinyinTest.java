package org.kelian.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PinyinTest {

  @Test
  void spellsALessonTitleThreeWays() {
    Pinyin.Spelling s = Pinyin.of("分数的初步认识");
    assertEquals("fen shu de chu bu ren shi", s.syllables());
    assertEquals("fenshudechuburenshi", s.joined());
    assertEquals("fsdcbrs", s.initials());
  }

  @Test
  void latinAndDigitsPassThroughWholeAndPunctuationSeparates() {
    Pinyin.Spelling s = Pinyin.of("Unit 1 Hello!");
    assertEquals("unit 1 hello", s.syllables());
    assertEquals("unit1hello", s.joined());
    assertEquals("unit1hello", s.initials());

    Pinyin.Spelling mixed = Pinyin.of("8 分数（一）");
    assertEquals("8 fen shu yi", mixed.syllables());
    assertEquals("8fsy", mixed.initials());
  }

  @Test
  void textWithoutWordsHasEmptySpellings() {
    assertEquals(new Pinyin.Spelling("", "", ""), Pinyin.of("——"));
    assertEquals(List.of(new Pinyin.Spelling("", "", "")), Pinyin.variants(""));
  }

  @Test
  void preferredReadingsFixCommonPolyphones() {
    // pinyin4j lists zhang first for 长; school texts mean chang (长方形, 长度).
    assertEquals("chang fang xing", Pinyin.of("长方形").syllables());
    assertEquals("cfxdzc", Pinyin.of("长方形的周长").initials());
  }

  @Test
  void variantsSwitchOnePolyphoneAtATime() {
    List<Pinyin.Spelling> variants = Pinyin.variants("校长");
    assertEquals("xiao chang", variants.get(0).syllables());
    assertTrue(variants.stream().anyMatch(v -> v.joined().equals("xiaozhang")), variants.toString());
    assertTrue(Pinyin.variants("分数的初步认识的的的的的").size() <= Pinyin.MAX_VARIANTS);
    assertEquals(1, Pinyin.variants("分米").size()); // no polyphone: one spelling
    // 的 and 识 have rare other readings (di, zhi) that are not worth indexing: one spelling.
    assertEquals(List.of(Pinyin.of("分数的初步认识")), Pinyin.variants("分数的初步认识"));
  }

  @Test
  void segmentsTypedPinyinIntoSyllables() {
    assertEquals(Optional.of("fen shu"), Pinyin.segment("fenshu"));
    assertEquals(Optional.of("chang fang xing"), Pinyin.segment("changfangxing"));
    assertEquals(Optional.of("fen shu de chu bu ren shi"), Pinyin.segment("FenShuDeChuBuRenShi"));
    assertEquals(Optional.of("xian"), Pinyin.segment("xian")); // fewest syllables wins over "xi an"
    assertEquals(Optional.of("zhou chang"), Pinyin.segment("zhouchang"));
  }

  @Test
  void refusesWhatIsNotPinyin() {
    assertEquals(Optional.empty(), Pinyin.segment("fsdcbrs")); // initials are matched another way
    assertEquals(Optional.empty(), Pinyin.segment("unit1"));
    assertEquals(Optional.empty(), Pinyin.segment(""));
    assertEquals(Optional.empty(), Pinyin.segment("分数"));
    assertEquals(Optional.empty(), Pinyin.segment("a\"b(c:*\\"));
  }

  @Test
  void segmentationOfVeryLongInputIsLinear() {
    String longInput = "zhong".repeat(2000);
    assertEquals(2000, Pinyin.segment(longInput).orElseThrow().split(" ").length);
  }
}
