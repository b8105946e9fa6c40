// Who is signed in, as /auth/me or the login answer told us. The cookie itself is HttpOnly and never seen here.

let user = null;

export function currentUser() {
  return user;
}

export function setUser(u) {
  user = u || null;
}

export function hasRole(role) {
  return !!user && (user.roles || []).indexOf(role) >= 0;
}

/** School and district admins curate: review queue, coverage, users. */
export function isAdmin() {
  return hasRole('school_admin') || hasRole('district_admin');
}
