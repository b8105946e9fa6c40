package org.kelian.core.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void pathsAndControlCharactersNeverSurvive() {
    assertEquals("passwd", FileNames.clean("../../etc/passwd"));
    assertEquals("课件.pptx", FileNames.clean("C:\\Users\\李\\课件.pptx"));
    assertEquals("ab.pdf", FileNames.clean("a\r\nb.pdf"));
    assertEquals("download", FileNames.clean(".."));
    assertEquals("download", FileNames.clean(null));
    assertEquals(200, FileNames.clean("长".repeat(300)).length());
  }
}
