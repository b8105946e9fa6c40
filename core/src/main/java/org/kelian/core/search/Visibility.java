package org.kelian.core.search;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Who may find a published resource, as keys that a document carries and a user holds. Region codes are China's
 * six-digit administrative codes: province = first 2 digits, city = first 4, county = all 6.
 */
public final class Visibility {

  public static final String EVERYONE = "national";

  private Visibility() {
  }

  /** The key a resource of this scope, owned in this region and school, carries. */
  public static String documentKey(String scope, String ownerRegionCode, UUID ownerSchoolId) {
    String region = ownerRegionCode == null ? "" : ownerRegionCode;
    return switch (scope) {
      case "province" -> region.length() >= 2 ? "province:" + region.substring(0, 2) : EVERYONE;
      case "city" -> region.length() >= 4 ? "city:" + region.substring(0, 4) : EVERYONE;
      case "county" -> region.length() >= 6 ? "county:" + region.substring(0, 6) : EVERYONE;
      case "school" -> ownerSchoolId == null ? EVERYONE : "school:" + ownerSchoolId;
      default -> EVERYONE;
    };
  }

  /** Every key a user in this region and school holds. */
  public static List<String> userKeys(String regionCode, UUID schoolId) {
    List<String> keys = new ArrayList<>();
    keys.add(EVERYONE);
    if (regionCode != null && regionCode.length() >= 2) {
      keys.add("province:" + regionCode.substring(0, 2));
    }
    if (regionCode != null && regionCode.length() >= 4) {
      keys.add("city:" + regionCode.substring(0, 4));
    }
    if (regionCode != null && regionCode.length() >= 6) {
      keys.add("county:" + regionCode.substring(0, 6));
    }
    if (schoolId != null) {
      keys.add("school:" + schoolId);
    }
    return keys;
  }
}
