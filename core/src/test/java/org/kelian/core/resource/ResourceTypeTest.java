package org.kelian.core.resource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceTypeTest {

  @Test
  void eachTypeTakesTheFilesATeacherExpects() {
    assertTrue(ResourceType.VIDEO.accepts("video/mp4"));
    assertTrue(ResourceType.VIDEO.accepts("video/webm; codecs=vp9"));
    assertFalse(ResourceType.VIDEO.accepts("text/plain"));
    assertTrue(ResourceType.COURSEWARE.accepts("application/vnd.openxmlformats-officedocument.presentationml.presentation"));
    assertTrue(ResourceType.TEXTBOOK.accepts("application/pdf"));
    assertFalse(ResourceType.TEXTBOOK.accepts("application/msword"));
    for (ResourceType t : ResourceType.values()) {
      assertFalse(t.accepts("application/x-msdownload"), t + " refuses executables");
      assertFalse(t.accepts("application/octet-stream"), t + " refuses unknown binaries");
      assertFalse(t.accepts("text/html"), t + " refuses web pages");
    }
  }
}
