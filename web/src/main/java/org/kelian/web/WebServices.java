package org.kelian.web;

import java.util.List;
import org.kelian.core.auth.AuthOptions;
import org.kelian.core.auth.AuthService;
import org.kelian.core.health.HealthCheck;

/** What the HTTP layer calls; built once by the launcher. */
public record WebServices(HttpOptions http, String metricsRegistry, AuthOptions authOptions, AuthService auth, List<HealthCheck> healthChecks) {
}
