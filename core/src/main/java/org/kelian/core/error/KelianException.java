package org.kelian.core.error;

/**
 * A failure a person can understand: a stable machine code, a message in Chinese and in English, and
 * optional details (for example the list of allowed types). Services speak only in these; drivers' errors
 * are translated where they happen.
 */
public class KelianException extends RuntimeException {

  private final ErrorKind kind;
  private final String code;
  private final String messageZh;
  private final Object details;

  public KelianException(ErrorKind kind, String code, String messageZh, String messageEn, Object details, Throwable cause) {
    super(messageEn, cause);
    this.kind = kind;
    this.code = code;
    this.messageZh = messageZh;
    this.details = details;
  }

  public KelianException(ErrorKind kind, String code, String messageZh, String messageEn) {
    this(kind, code, messageZh, messageEn, null, null);
  }

  public ErrorKind kind() {
    return kind;
  }

  public String code() {
    return code;
  }

  public String messageZh() {
    return messageZh;
  }

  public String messageEn() {
    return getMessage();
  }

  public Object details() {
    return details;
  }

  public KelianException withDetails(Object newDetails) {
    return new KelianException(kind, code, messageZh, getMessage(), newDetails, getCause());
  }

  public static KelianException invalid(String code, String zh, String en) {
    return new KelianException(ErrorKind.INVALID, code, zh, en);
  }

  public static KelianException notFound(String code, String zh, String en) {
    return new KelianException(ErrorKind.NOT_FOUND, code, zh, en);
  }

  public static KelianException conflict(String code, String zh, String en) {
    return new KelianException(ErrorKind.CONFLICT, code, zh, en);
  }

  public static KelianException forbidden() {
    return new KelianException(ErrorKind.FORBIDDEN, "forbidden", "您的角色无权执行此操作", "Your role may not do this");
  }

  public static KelianException unauthenticated() {
    return new KelianException(ErrorKind.UNAUTHENTICATED, "unauthenticated", "请先登录", "Please log in first");
  }

  public static KelianException unavailable(String code, String zh, String en, Throwable cause) {
    return new KelianException(ErrorKind.UNAVAILABLE, code, zh, en, null, cause);
  }
}
