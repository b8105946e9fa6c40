package org.kelian.core.imports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What an import did (or, on a dry run, would do): rows read, records created, updated, left unchanged, and removed
 * (periods and lessons no longer in a school's replaced schedule or timetable), and the initial passwords of new
 * teacher accounts, shown this once.
 */
public record ImportResult(String kind, String encoding, boolean dryRun, int rows, int created, int updated, int unchanged, int removed,
                           List<Account> accounts) {

  /** A new account; the password is null on a dry run. */
  public record Account(String username, String password) {
  }

  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    accounts.forEach(x -> a.add(new JsonObject().put("username", x.username()).put("password", x.password())));
    return new JsonObject().put("kind", kind).put("encoding", encoding).put("dryRun", dryRun).put("rows", rows).put("created", created)
        .put("updated", updated).put("unchanged", unchanged).put("removed", removed).put("accounts", a);
  }
}
