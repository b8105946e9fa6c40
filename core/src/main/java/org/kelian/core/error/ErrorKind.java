package org.kelian.core.error;

/** What went wrong, independent of the protocol; the web layer maps each kind to one HTTP status. */
public enum ErrorKind {
  INVALID(400),
  UNAUTHENTICATED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  METHOD_NOT_ALLOWED(405),
  GONE(410),
  PRECONDITION_FAILED(412),
  TOO_LARGE(413),
  UNSUPPORTED_TYPE(415),
  UNAVAILABLE(503),
  INTERNAL(500);

  private final int httpStatus;

  ErrorKind(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
