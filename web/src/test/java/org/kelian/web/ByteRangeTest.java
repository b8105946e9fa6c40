package org.kelian.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

  @Test
  void oneRangeIsClampedToTheFile() {
    assertArrayEquals(new long[] {0, 187}, ByteRange.parse("bytes=0-187", 1000));
    assertArrayEquals(new long[] {500, 999}, ByteRange.parse("bytes=500-", 1000));
    assertArrayEquals(new long[] {500, 999}, ByteRange.parse("bytes=500-5000", 1000));
    assertArrayEquals(new long[] {812, 999}, ByteRange.parse("bytes=-188", 1000));
    assertArrayEquals(new long[] {0, 999}, ByteRange.parse("bytes=-5000", 1000));
    assertArrayEquals(new long[] {7, 7}, ByteRange.parse(" Bytes=7-7 ", 1000));
  }

  @Test
  void aRangeBeyondTheFileCannotBeSatisfied() {
    assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=1000-", 1000));
    assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=1000-2000", 1000));
    assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", 1000));
    assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=0-", 0));
  }

  @Test
  void anythingElseMeansTheWholeFile() {
    assertNull(ByteRange.parse(null, 1000));
    assertNull(ByteRange.parse("bytes=0-1,5-6", 1000), "several ranges");
    assertNull(ByteRange.parse("items=0-1", 1000));
    assertNull(ByteRange.parse("bytes=5-1", 1000));
    assertNull(ByteRange.parse("bytes=abc", 1000));
    assertNull(ByteRange.parse("bytes=-", 1000));
    assertNull(ByteRange.parse("bytes=1-x", 1000));
    assertNull(ByteRange.parse("bytes=99999999999999999999-", 1000));
  }
}
