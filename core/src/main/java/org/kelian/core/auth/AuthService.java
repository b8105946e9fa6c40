package org.kelian.core.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;

/** Login, sessions, and the accounts admins manage. */
public final class AuthService {

  public static final String ADMIN_USERNAME = "admin";
  public static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}_.@-]{2,64}");

  /**
   * How long this node trusts a session it has looked up without asking PostgreSQL again: every API request (a
   * player's segments, a search as you type) would otherwise read it. A logout or password reset on this node takes
   * effect at once; one on another node of a multi-node deployment within this time.
   */
  static final Duration SESSION_CACHE = Duration.ofSeconds(30);
  private static final int MAX_CACHED_SESSIONS = 50_000;

  private final Vertx vertx;
  private final UserStore store;
  private final AuthOptions options;
  private final Map<String, CachedSession> sessions = new ConcurrentHashMap<>();
  /** Bumped by every revocation: a lookup that started before one may not be kept (it may have read the revoked session). */
  private final AtomicLong revocations = new AtomicLong();

  private record CachedSession(User user, long untilNanos) {
  }

  public AuthService(Vertx vertx, UserStore store, AuthOptions options) {
    this.vertx = vertx;
    this.store = store;
    this.options = options;
  }

  public record Login(String token, User user, OffsetDateTime expiresAt) {
  }

  public record NewUser(String username, String password, Set<Role> roles, String displayName, UUID schoolId, String regionCode) {
  }

  public Future<Login> login(String username, String password) {
    if (username == null || password == null || username.isBlank() || password.isEmpty() || username.length() > 64 || password.length() > 200) {
      return Future.failedFuture(badCredentials());
    }
    return store.findCredentials(username.strip())
        .compose(found -> vertx.executeBlocking(() -> found.filter(c -> PasswordHasher.verify(password, c.passwordHash()))))
        .compose(ok -> ok.isPresent() ? startSession(ok.get().user()) : Future.failedFuture(badCredentials()));
  }

  private Future<Login> startSession(User user) {
    String token = Secrets.newSecret(32);
    OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC).plus(options.sessionTtl());
    return store.insertSession(token, user.id(), expires).map(x -> new Login(token, user, expires));
  }

  public Future<Optional<User>> authenticate(String token) {
    if (token == null || token.isBlank() || token.length() > 128) {
      return Future.succeededFuture(Optional.empty());
    }
    long now = System.nanoTime();
    CachedSession cached = sessions.get(token);
    if (cached != null && now - cached.untilNanos() < 0) {
      return Future.succeededFuture(Optional.of(cached.user()));
    }
    long generation = revocations.get();
    return store.findBySession(token).map(found -> {
      if (found.isEmpty()) {
        sessions.remove(token);
        return Optional.empty();
      }
      UserStore.Session s = found.get();
      long left = Duration.between(OffsetDateTime.now(ZoneOffset.UTC), s.expiresAt()).toNanos();
      if (revocations.get() == generation && left > 0) {
        if (sessions.size() >= MAX_CACHED_SESSIONS) {
          sessions.clear();
        }
        sessions.put(token, new CachedSession(s.user(), now + Math.min(SESSION_CACHE.toNanos(), left)));
      }
      return Optional.of(s.user());
    });
  }

  public Future<Void> logout(String token) {
    return revoking(() -> sessions.remove(token), store.revokeSession(token));
  }

  /** Forgets cached sessions before and after a revocation, and keeps lookups that overlap it from being cached. */
  private <T> Future<T> revoking(Runnable forget, Future<T> revocation) {
    revocations.incrementAndGet();
    forget.run();
    return revocation.andThen(x -> {
      revocations.incrementAndGet();
      forget.run();
    });
  }

  public Future<User> createUser(User actor, NewUser req) {
    requireAdmin(actor);
    String username = Validate.text(req.username(), "username", 64);
    if (!USERNAME.matcher(username).matches()) {
      return Future.failedFuture(KelianException.invalid("invalid_username", "用户名只能包含字母、数字和 _ . @ -，长度 2 到 64",
          "A username has 2 to 64 letters, digits or _ . @ -"));
    }
    checkPassword(req.password());
    if (req.roles() == null || req.roles().isEmpty()) {
      return Future.failedFuture(KelianException.invalid("roles_required", "至少需要一个角色", "At least one role is required"));
    }
    UUID schoolId = req.schoolId();
    if (actor.has(Role.SCHOOL_ADMIN) && !actor.has(Role.DISTRICT_ADMIN)) {
      if (req.roles().contains(Role.DISTRICT_ADMIN)) {
        return Future.failedFuture(KelianException.forbidden());
      }
      schoolId = actor.schoolId();
    }
    String displayName = Validate.optionalText(req.displayName(), "displayName", 64);
    User user = new User(UUID.randomUUID(), username, displayName == null || displayName.isBlank() ? username : displayName,
        Set.copyOf(req.roles()), schoolId, req.regionCode() != null ? req.regionCode() : actor.regionCode());
    Future<Void> schoolCheck = schoolId == null ? Future.succeededFuture()
        : store.schoolExists(schoolId).compose(ok -> ok ? Future.succeededFuture()
            : Future.failedFuture(KelianException.invalid("unknown_school", "学校不存在", "Unknown school")));
    return schoolCheck
        .compose(x -> vertx.executeBlocking(() -> PasswordHasher.hash(req.password())))
        .compose(hash -> store.insert(user, hash))
        .recover(t -> Future.failedFuture(t instanceof KelianException k && k.kind() == ErrorKind.CONFLICT
            ? KelianException.conflict("username_taken", "用户名已被占用：" + username, "Username already taken: " + username)
            : t));
  }

  public Future<Void> resetPassword(User actor, UUID userId, String newPassword) {
    requireAdmin(actor);
    checkPassword(newPassword);
    return store.findById(userId)
        .compose(found -> {
          User target = found.orElseThrow(() -> KelianException.notFound("user_not_found", "用户不存在", "User not found"));
          if (!actor.has(Role.DISTRICT_ADMIN) && (target.has(Role.DISTRICT_ADMIN) || !target.schoolId().equals(actor.schoolId()))) {
            throw KelianException.forbidden();
          }
          return vertx.executeBlocking(() -> PasswordHasher.hash(newPassword));
        })
        // The user's other sessions end with the old password.
        .compose(hash -> revoking(() -> sessions.values().removeIf(c -> c.user().id().equals(userId)), store.setPassword(userId, hash)))
        .mapEmpty();
  }

  public Future<UserStore.Page> listUsers(User actor, int limit, int offset) {
    requireAdmin(actor);
    return store.list(actor.has(Role.DISTRICT_ADMIN) ? null : actor.schoolId(), limit, offset);
  }

  /**
   * Creates the first district admin unless it exists. Answers the generated password when none was configured,
   * so the launcher can print it once.
   */
  public Future<Optional<String>> ensureAdmin() {
    return store.findCredentials(ADMIN_USERNAME).compose(found -> {
      if (found.isPresent()) {
        return Future.succeededFuture(Optional.empty());
      }
      boolean generated = options.adminPassword() == null;
      String password = generated ? Secrets.newSecret(12) : options.adminPassword();
      User admin = new User(UUID.randomUUID(), ADMIN_USERNAME, "管理员", Set.of(Role.DISTRICT_ADMIN), null, null);
      return vertx.executeBlocking(() -> PasswordHasher.hash(password))
          .compose(hash -> store.insert(admin, hash))
          .map(x -> generated ? Optional.of(password) : Optional.<String>empty());
    });
  }

  private static void requireAdmin(User actor) {
    if (!actor.isAdmin()) {
      throw KelianException.forbidden();
    }
  }

  private static void checkPassword(String password) {
    if (password == null || password.length() < 8 || password.getBytes(StandardCharsets.UTF_8).length > 72) {
      throw KelianException.invalid("weak_password", "密码长度须为 8 到 72 字节", "A password has 8 to 72 bytes");
    }
  }

  private static KelianException badCredentials() {
    return new KelianException(ErrorKind.UNAUTHENTICATED, "bad_credentials", "用户名或密码错误", "Wrong username or password");
  }

}
