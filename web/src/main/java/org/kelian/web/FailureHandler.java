package org.kelian.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.kelian.core.error.ErrorKind;
import org.kelian.core.error.KelianException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: {@code {"error": {"code", "message", "details"}}} with the
 * status of the error's kind, the message in the language the client prefers (Chinese unless it asks for
 * English). Stack traces are logged for 5xx only and never sent.
 */
final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    KelianException e = toDomain(ctx.failure(), ctx.statusCode());
    int status = e.kind().httpStatus();
    if (status >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    HttpServerResponse resp = ctx.response();
    if (resp.headWritten()) {
      ctx.request().connection().close();
      return;
    }
    JsonObject error = new JsonObject().put("code", e.code()).put("message", Lang.english(ctx) ? e.messageEn() : e.messageZh());
    if (e.details() != null) {
      error.put("details", e.details());
    }
    resp.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8");
    if (status == 401) {
      resp.putHeader("WWW-Authenticate", "Bearer");
    }
    resp.end(new JsonObject().put("error", error).encode());
  }

  static KelianException toDomain(Throwable t, int status) {
    if (t instanceof KelianException k) {
      return k;
    }
    if (t instanceof DecodeException || t instanceof IllegalArgumentException && t.getMessage() != null && t.getMessage().contains("JSON")) {
      return KelianException.invalid("malformed_json", "请求体不是有效的 JSON", "The request body is not valid JSON");
    }
    if (t instanceof HttpException h) {
      status = h.getStatusCode();
    }
    return switch (status) {
      case 400 -> KelianException.invalid("bad_request", "请求无效", "Bad request");
      case 401 -> KelianException.unauthenticated();
      case 403 -> KelianException.forbidden();
      case 404 -> KelianException.notFound("not_found", "找不到该地址", "No such address");
      case 405 -> new KelianException(ErrorKind.METHOD_NOT_ALLOWED, "method_not_allowed", "不支持该请求方法", "Method not allowed");
      case 413 -> new KelianException(ErrorKind.TOO_LARGE, "body_too_large", "请求体过大", "The request body is too large");
      case 415 -> new KelianException(ErrorKind.UNSUPPORTED_TYPE, "unsupported_media_type", "不支持的内容类型", "Unsupported content type");
      default -> new KelianException(ErrorKind.INTERNAL, "internal_error", "服务器内部错误，请稍后再试", "Internal server error; try again later");
    };
  }
}
