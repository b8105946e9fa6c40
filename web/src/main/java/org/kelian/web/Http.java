package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;

/** What every thin handler does: read input, call one service method, write the result or fail with the cause. */
final class Http {

  static final String USER = "kelian.user";

  private static final JacksonCodec STREAMING = new JacksonCodec();

  private Http() {
  }

  /**
   * Runs {@code call}, turning a synchronous throw into a failed future, and hands any failure to the failure
   * handler — a throw while answering too (it would otherwise leave the request hanging).
   */
  static <T> void handle(RoutingContext ctx, Supplier<Future<T>> call, Function<T, Void> onSuccess) {
    attempt(call).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      try {
        onSuccess.apply(ar.result());
      } catch (RuntimeException e) {
        if (ctx.response().headWritten()) {
          ctx.response().reset();
        } else {
          ctx.fail(e);
        }
      }
    });
  }

  /** Runs {@code call}, turning a synchronous throw (bad input) into a failed future. */
  static <T> Future<T> attempt(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  static <T> void json(RoutingContext ctx, int status, Supplier<Future<T>> call, Function<T, Object> toJson) {
    handle(ctx, call, result -> {
      Object body = toJson.apply(result);
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
          .end(body instanceof JsonObject || body instanceof JsonArray ? encode(body) : Buffer.buffer(String.valueOf(body)));
      return null;
    });
  }

  /**
   * JSON straight into UTF-8 bytes by Jackson's streaming generator. Vert.x's default codec, with jackson-databind on
   * the class path, goes through an ObjectMapper to a String that is then encoded again: on the search benchmark
   * about a tenth of the platform's event-loop samples were that. Values only databind knows (none of our answers
   * holds one today) still go through the default codec.
   */
  static Buffer encode(Object json) {
    try {
      return STREAMING.toBuffer(json, false);
    } catch (EncodeException e) {
      return Json.CODEC.toBuffer(json, false);
    }
  }

  static User user(RoutingContext ctx) {
    User u = ctx.get(USER);
    if (u == null) {
      throw KelianException.unauthenticated();
    }
    return u;
  }

  static JsonObject body(RoutingContext ctx) {
    try {
      if (ctx.body() == null || ctx.body().length() == 0) {
        throw KelianException.invalid("body_required", "缺少请求体（JSON 对象）", "A JSON object body is required");
      }
      JsonObject o = ctx.body().asJsonObject();
      if (o == null) {
        throw KelianException.invalid("body_required", "缺少请求体（JSON 对象）", "A JSON object body is required");
      }
      return o;
    } catch (DecodeException | ClassCastException e) {
      throw KelianException.invalid("malformed_json", "请求体不是有效的 JSON 对象", "The request body is not a valid JSON object");
    }
  }

  /** Reads a string field, refusing other JSON types with a clear message. */
  static String string(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw KelianException.invalid("field_type", "字段 " + field + " 应为字符串", "Field " + field + " must be a string");
  }

  static JsonArray array(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null || v instanceof JsonArray) {
      return (JsonArray) v;
    }
    throw KelianException.invalid("field_type", "字段 " + field + " 应为数组", "Field " + field + " must be an array");
  }
}
