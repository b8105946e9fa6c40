package org.kelian.core.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;

class CsvTest {

  @Test
  void quotesEmbeddedCommasQuotesAndLineBreaks() {
    List<Csv.Record> r = Csv.parse("学校,名称,备注\r\n城关一小,\"录播室,一\",\"他说\"\"好\"\"\"\r\n后村小学,\"互动\r\n教室\",\r\n");
    assertEquals(3, r.size());
    assertEquals(List.of("学校", "名称", "备注"), r.get(0).fields());
    assertEquals(List.of("城关一小", "录播室,一", "他说\"好\""), r.get(1).fields());
    assertEquals(List.of("后村小学", "互动\n教室", ""), r.get(2).fields());
    assertEquals(3, r.get(2).line());
  }

  @Test
  void lineNumbersCountLinesInsideQuotedFields() {
    List<Csv.Record> r = Csv.parse("a,b\n\"x\ny\nz\",1\nlast,2");
    assertEquals(2, r.get(1).line());
    assertEquals(5, r.get(2).line());
    assertEquals(List.of("last", "2"), r.get(2).fields());
  }

  @Test
  void blankLinesAndTrailingCommas() {
    List<Csv.Record> r = Csv.parse("a,b\n\n1,\n");
    assertEquals(3, r.size());
    assertEquals(true, r.get(1).blank());
    assertEquals(List.of("1", ""), r.get(2).fields());
  }

  @Test
  void anUnterminatedQuoteNamesItsLine() {
    KelianException e = assertThrows(KelianException.class, () -> Csv.parse("a,b\n1,2\n3,\"open\n4,5\n"));
    assertEquals("csv_unterminated_quote", e.code());
    assertEquals(true, e.getMessage().contains("line 3"), e.getMessage());
  }

  @Test
  void encodingsExcelWrites() {
    String text = "学校,类型\n城关一小,城区\n";
    byte[] bom = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);
    assertEquals(new Csv.Text(text, "UTF-8 (BOM)"), Csv.decode(bom));
    assertEquals(new Csv.Text(text, "UTF-8"), Csv.decode(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(new Csv.Text(text, "GB18030"), Csv.decode(text.getBytes(Charset.forName("GBK"))));
  }
}
