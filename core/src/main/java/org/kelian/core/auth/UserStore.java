package org.kelian.core.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.kelian.core.db.Db;

/** Users and their login sessions in PostgreSQL. */
public final class UserStore {

  private static final String COLUMNS = "u.id, u.username, u.display_name, u.roles, u.school_id, u.region_code";
  private static final String INSERT = "insert into users (id, username, display_name, password_hash, roles, school_id, region_code) "
      + "values ($1, $2, $3, $4, $5, $6, $7)";
  private static final String BY_USERNAME = "select " + COLUMNS + ", u.password_hash from users u where lower(u.username) = lower($1) and not u.disabled";
  private static final String BY_ID = "select " + COLUMNS + " from users u where u.id = $1";
  private static final String LIST = "select " + COLUMNS + ", count(*) over () as total from users u "
      + "where ($1::uuid is null or u.school_id = $1) order by u.username limit $2 offset $3";
  private static final String SET_PASSWORD = "update users set password_hash = $2, updated_at = now() where id = $1";
  private static final String REVOKE_ALL = "update auth_sessions set revoked_at = now() where user_id = $1 and revoked_at is null";
  private static final String INSERT_SESSION = "insert into auth_sessions (token_hash, user_id, expires_at) values ($1, $2, $3)";
  private static final String BY_TOKEN = "select " + COLUMNS + ", s.expires_at from auth_sessions s join users u on u.id = s.user_id "
      + "where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and not u.disabled";
  private static final String REVOKE = "update auth_sessions set revoked_at = now() where token_hash = $1";
  private static final String SCHOOL_EXISTS = "select 1 from schools where id = $1";

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public record Credentials(User user, String passwordHash) {
  }

  public record Page(List<User> users, long total) {
  }

  public Future<User> insert(User u, String passwordHash) {
    String[] roles = u.roles().stream().map(Role::wire).sorted().toArray(String[]::new);
    return Db.recover(pool.preparedQuery(INSERT)
        .execute(Tuple.of(u.id(), u.username(), u.displayName(), passwordHash, roles, u.schoolId(), u.regionCode()))
        .map(x -> u));
  }

  public Future<Optional<Credentials>> findCredentials(String username) {
    return Db.recover(pool.preparedQuery(BY_USERNAME).execute(Tuple.of(username))
        .map(rows -> first(rows).map(r -> new Credentials(user(r), r.getString("password_hash")))));
  }

  public Future<Optional<User>> findById(UUID id) {
    return Db.recover(pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(rows -> first(rows).map(UserStore::user)));
  }

  public Future<Page> list(UUID schoolId, int limit, int offset) {
    return Db.recover(pool.preparedQuery(LIST).execute(Tuple.of(schoolId, limit, offset)).map(rows -> {
      List<User> users = new ArrayList<>();
      long total = 0;
      for (Row r : rows) {
        users.add(user(r));
        total = r.getLong("total");
      }
      return new Page(users, total);
    }));
  }

  public Future<Boolean> setPassword(UUID userId, String passwordHash) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(SET_PASSWORD).execute(Tuple.of(userId, passwordHash))
        .compose(rows -> c.preparedQuery(REVOKE_ALL).execute(Tuple.of(userId)).map(x -> rows.rowCount() == 1))));
  }

  public Future<Boolean> schoolExists(UUID schoolId) {
    return Db.recover(pool.preparedQuery(SCHOOL_EXISTS).execute(Tuple.of(schoolId)).map(rows -> rows.size() == 1));
  }

  public Future<Void> insertSession(String token, UUID userId, OffsetDateTime expiresAt) {
    return Db.recover(pool.preparedQuery(INSERT_SESSION).execute(Tuple.of(Secrets.hash(token), userId, expiresAt)).mapEmpty());
  }

  /** A live session: its user, and when it ends. */
  public record Session(User user, OffsetDateTime expiresAt) {
  }

  public Future<Optional<Session>> findBySession(String token) {
    return Db.recover(pool.preparedQuery(BY_TOKEN).execute(Tuple.of(Secrets.hash(token)))
        .map(rows -> first(rows).map(r -> new Session(user(r), r.getOffsetDateTime("expires_at")))));
  }

  public Future<Void> revokeSession(String token) {
    return Db.recover(pool.preparedQuery(REVOKE).execute(Tuple.of(Secrets.hash(token))).mapEmpty());
  }


  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }

  static User user(Row r) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Arrays.stream(r.getArrayOfStrings("roles")).forEach(s -> Role.parse(s).ifPresent(roles::add));
    return new User(r.getUUID("id"), r.getString("username"), r.getString("display_name"), roles,
        r.getUUID("school_id"), r.getString("region_code"));
  }

}
