package org.kelian.deploy;

import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** Demo and seed data of the default mode. */
public record SeedOptions(boolean seedCatalog) {

  public static final Setting SEED_CATALOG = Setting.of("KELIAN_SEED_CATALOG", "seed.catalog", "true",
      "Import the bundled textbook catalog (39 real textbooks) on a start that finds the catalog empty");

  public static final List<Setting> SETTINGS = List.of(SEED_CATALOG);

  public static SeedOptions from(Config c) {
    return new SeedOptions(c.getBoolean(SEED_CATALOG));
  }
}
