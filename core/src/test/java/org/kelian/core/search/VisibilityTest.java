package org.kelian.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VisibilityTest {

  @Test
  void scopesMapToRegionPrefixesAndSchools() {
    UUID school = UUID.randomUUID();
    assertEquals("national", Visibility.documentKey("national", "371321", school));
    assertEquals("province:37", Visibility.documentKey("province", "371321", school));
    assertEquals("city:3713", Visibility.documentKey("city", "371321", school));
    assertEquals("county:371321", Visibility.documentKey("county", "371321", school));
    assertEquals("school:" + school, Visibility.documentKey("school", "371321", school));
    List<String> sameCity = Visibility.userKeys("371302", null);
    assertTrue(sameCity.contains("city:3713"));
    assertFalse(sameCity.contains("county:371321"));
    assertEquals(List.of("national"), Visibility.userKeys(null, null));
  }
}
