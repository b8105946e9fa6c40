package org.kelian.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Enum constants as the API spells them: lower case with underscores ({@code RURAL_TEACHER} ↔ {@code rural_teacher}). */
public final class WireNames {

  private WireNames() {
  }

  public static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String wire) {
    return Arrays.stream(type.getEnumConstants()).filter(c -> of(c).equals(wire)).findFirst();
  }
}
