package org.kelian.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.sourceforge.pinyin4j.PinyinHelper;
import net.sourceforge.pinyin4j.format.HanyuPinyinCaseType;
import net.sourceforge.pinyin4j.format.HanyuPinyinOutputFormat;
import net.sourceforge.pinyin4j.format.HanyuPinyinToneType;
import net.sourceforge.pinyin4j.format.HanyuPinyinVCharType;
import net.sourceforge.pinyin4j.format.exception.BadHanyuPinyinOutputFormatCombination;

/**
 * Pinyin spellings of titles, computed at index time (the Elasticsearch we run has no pinyin plugin), and the
 * segmentation of typed pinyin at query time.
 *
 * <p>A text becomes words: each Han character is one syllable, each run of Latin letters or digits is one word kept
 * as typed (lower-cased), anything else separates. From the words come three spellings: the syllables separated by
 * spaces ("fen shu de chu bu ren shi"), the same joined ("fenshudechuburenshi") and the initials ("fsdcbrs", where a
 * Latin or digit word is kept whole: "8 分数" gives "8fs").
 *
 * <p>Polyphonic characters: pinyin4j knows every reading of a character but not which one a word uses (长方形 is
 * chang, 校长 is zhang). Most characters are spelled with pinyin4j's first reading, which is the usual one. For the
 * characters that school texts really read in more than one way ({@link #COMMON_READINGS}, a short curated table)
 * we spell a few variants, each switching one such character to its other reading, so 长方形 and 校长 are both found
 * by what people type. Limits: a name needing two non-preferred readings at once is found only through the
 * single-switch spellings (partly), and a character outside the table is found only by its first reading.
 */
public final class Pinyin {

  /** At most this many spellings per text: the preferred one plus single-character switches. */
  static final int MAX_VARIANTS = 4;

  /**
   * Characters that school texts read in more than one way, preferred reading first (pinyin4j lists zhang before
   * chang for 长). Only these spell variants: variants of every polyphone would triple what is indexed for little.
   */
  private static final Map<Character, List<String>> COMMON_READINGS = Map.ofEntries(
      Map.entry('长', List.of("chang", "zhang")), Map.entry('行', List.of("xing", "hang")),
      Map.entry('重', List.of("zhong", "chong")), Map.entry('还', List.of("hai", "huan")),
      Map.entry('乐', List.of("le", "yue")), Map.entry('调', List.of("diao", "tiao")),
      Map.entry('传', List.of("chuan", "zhuan")), Map.entry('朝', List.of("chao", "zhao")),
      Map.entry('便', List.of("bian", "pian")), Map.entry('参', List.of("can", "shen")),
      Map.entry('差', List.of("cha", "chai")), Map.entry('降', List.of("jiang", "xiang")),
      Map.entry('角', List.of("jiao", "jue")), Map.entry('觉', List.of("jue", "jiao")),
      Map.entry('率', List.of("lv", "shuai")), Map.entry('没', List.of("mei", "mo")),
      Map.entry('强', List.of("qiang", "jiang")), Map.entry('藏', List.of("cang", "zang")),
      Map.entry('弹', List.of("tan", "dan")), Map.entry('给', List.of("gei", "ji")),
      Map.entry('都', List.of("dou", "du")), Map.entry('了', List.of("le", "liao")),
      Map.entry('血', List.of("xue", "xie")), Map.entry('薄', List.of("bao", "bo")),
      Map.entry('曾', List.of("ceng", "zeng")), Map.entry('单', List.of("dan", "shan")),
      Map.entry('地', List.of("di", "de")), Map.entry('得', List.of("de", "dei")),
      Map.entry('种', List.of("zhong")), Map.entry('数', List.of("shu")), Map.entry('吓', List.of("xia", "he")),
      Map.entry('壳', List.of("ke", "qiao")), Map.entry('那', List.of("na")), Map.entry('厦', List.of("xia", "sha")),
      Map.entry('朴', List.of("pu", "piao")), Map.entry('解', List.of("jie", "xie")),
      Map.entry('量', List.of("liang")), Map.entry('处', List.of("chu")), Map.entry('着', List.of("zhe", "zhao", "zhuo")));

  /** Every valid toneless syllable (ü written v, and the common "ue" spellings of lüe/nüe). */
  private static final Set<String> SYLLABLES = Set.of((""
      + "a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cen "
      + "ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong "
      + "cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui "
      + "dun duo e ei en eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua "
      + "guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji "
      + "jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua "
      + "kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou "
      + "lu luan lue lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai "
      + "nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nue nuo nv nve o ou pa pai "
      + "pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu "
      + "quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha "
      + "shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su "
      + "suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan "
      + "wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi "
      + "yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei "
      + "zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo")
      .split(" "));

  private static final int LONGEST_SYLLABLE = 6;

  private static final HanyuPinyinOutputFormat FORMAT = new HanyuPinyinOutputFormat();

  static {
    FORMAT.setToneType(HanyuPinyinToneType.WITHOUT_TONE);
    FORMAT.setVCharType(HanyuPinyinVCharType.WITH_V);
    FORMAT.setCaseType(HanyuPinyinCaseType.LOWERCASE);
  }

  private Pinyin() {
  }

  /** One way to read a text aloud. */
  public record Spelling(String syllables, String joined, String initials) {
  }

  /** The preferred spelling of a text; every field is empty when the text has no Han character, letter or digit. */
  public static Spelling of(String text) {
    return variants(text).get(0);
  }

  /** The preferred spelling first, then up to {@link #MAX_VARIANTS}-1 variants switching one polyphonic character. */
  public static List<Spelling> variants(String text) {
    List<Word> words = words(text);
    List<String> preferred = words.stream().map(w -> w.readings().get(0)).toList();
    Set<List<String>> choices = new LinkedHashSet<>();
    choices.add(preferred);
    for (int i = 0; i < words.size() && choices.size() < MAX_VARIANTS; i++) {
      List<String> readings = words.get(i).readings();
      for (int r = 1; r < readings.size() && choices.size() < MAX_VARIANTS; r++) {
        List<String> switched = new ArrayList<>(preferred);
        switched.set(i, readings.get(r));
        choices.add(switched);
      }
    }
    return choices.stream().map(choice -> spell(words, choice)).toList();
  }

  /**
   * Splits letters typed without spaces into pinyin syllables ("changfangxing" → "chang fang xing"), using as few
   * syllables as possible; empty when the text is not entirely pinyin.
   */
  public static Optional<String> segment(String typed) {
    String s = typed.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty() || !s.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
      return Optional.empty();
    }
    int n = s.length();
    int[] count = new int[n + 1]; // fewest syllables spelling s[0, i), or -1 when none does
    int[] cut = new int[n + 1];
    java.util.Arrays.fill(count, -1);
    count[0] = 0;
    for (int end = 1; end <= n; end++) {
      // Longest syllable first, so that ties keep the longer leading syllable ("xian" stays one, not "xi an").
      for (int start = Math.max(0, end - LONGEST_SYLLABLE); start < end; start++) {
        if (count[start] >= 0 && SYLLABLES.contains(s.substring(start, end))
            && (count[end] < 0 || count[start] + 1 < count[end])) {
          count[end] = count[start] + 1;
          cut[end] = start;
        }
      }
    }
    if (count[n] < 0) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (int end = n; end > 0; end = cut[end]) {
      out.add(0, s.substring(cut[end], end));
    }
    return Optional.of(String.join(" ", out));
  }

  private static Spelling spell(List<Word> words, List<String> choice) {
    StringBuilder initials = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      initials.append(words.get(i).han() ? choice.get(i).substring(0, 1) : choice.get(i));
    }
    return new Spelling(String.join(" ", choice), String.join("", choice), initials.toString());
  }

  /** A Han character with its readings (preferred first), or a Latin or digit run with itself as only reading. */
  private record Word(List<String> readings, boolean han) {
  }

  private static List<Word> words(String text) {
    List<Word> words = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      List<String> han = cp <= 0xFFFF ? readings((char) cp) : List.of();
      if (!han.isEmpty()) {
        flush(run, words);
        words.add(new Word(han, true));
      } else if (cp < 0x80 && Character.isLetterOrDigit(cp)) {
        run.appendCodePoint(Character.toLowerCase(cp));
      } else {
        flush(run, words);
      }
    }
    flush(run, words);
    return words;
  }

  private static void flush(StringBuilder run, List<Word> words) {
    if (!run.isEmpty()) {
      words.add(new Word(List.of(run.toString()), false));
      run.setLength(0);
    }
  }

  /**
   * Readings per character, looked up once: pinyin4j formats every lookup with regular expressions, which made
   * spelling the dominant cost of indexing and of marking pinyin matches in search results. Entries are immutable
   * lists, so racing threads at worst compute one twice.
   */
  @SuppressWarnings("unchecked")
  private static final List<String>[] READINGS = new List[Character.MAX_VALUE + 1];

  /** The readings to spell: the curated ones when the character is in the table, else pinyin4j's first. */
  private static List<String> readings(char c) {
    List<String> cached = READINGS[c];
    if (cached == null) {
      cached = lookUp(c);
      READINGS[c] = cached;
    }
    return cached;
  }

  private static List<String> lookUp(char c) {
    List<String> common = COMMON_READINGS.get(c);
    if (common != null) {
      return common;
    }
    String[] all;
    try {
      all = PinyinHelper.toHanyuPinyinStringArray(c, FORMAT);
    } catch (BadHanyuPinyinOutputFormatCombination e) {
      throw new IllegalStateException(e); // the format above is a valid combination
    }
    if (all == null) {
      return List.of();
    }
    for (String r : all) {
      String clean = r.replaceAll("[^a-z]", ""); // pinyin4j writes ê as "e^"
      if (!clean.isEmpty()) {
        return List.of(clean);
      }
    }
    return List.of();
  }
}
