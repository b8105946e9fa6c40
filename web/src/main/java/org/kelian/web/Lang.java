package org.kelian.web;

import io.vertx.ext.web.LanguageHeader;
import io.vertx.ext.web.RoutingContext;

/** Chinese by default; English when the client prefers it. */
final class Lang {

  private Lang() {
  }

  static boolean english(RoutingContext ctx) {
    for (LanguageHeader l : ctx.acceptableLanguages()) {
      String tag = l.tag();
      if (tag.equalsIgnoreCase("zh")) {
        return false;
      }
      if (tag.equalsIgnoreCase("en")) {
        return true;
      }
    }
    return false;
  }
}
