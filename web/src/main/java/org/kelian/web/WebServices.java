package org.kelian.web;

import java.util.List;
import org.kelian.core.auth.AuthOptions;
import org.kelian.core.auth.AuthService;
import org.kelian.core.catalog.CatalogService;
import org.kelian.core.coverage.CoverageService;
import org.kelian.core.health.HealthCheck;
import org.kelian.core.imports.ImportService;
import org.kelian.core.media.MediaService;
import org.kelian.core.live.LiveService;
import org.kelian.core.org.OrgService;
import org.kelian.core.schedule.CalendarFeedService;
import org.kelian.core.schedule.DeliveryReport;
import org.kelian.core.schedule.ScheduleService;
import org.kelian.core.schedule.auto.AutoScheduler;
import org.kelian.core.resource.ResourceService;
import org.kelian.core.search.SearchService;
import org.kelian.core.storage.ObjectStore;
import org.kelian.core.upload.UploadService;
import org.kelian.media.live.IceServers;
import org.kelian.media.live.LiveHls;
import org.kelian.media.live.SignalingHub;

/** What the HTTP layer calls; built once by the launcher. */
public record WebServices(
    HttpOptions http,
    String metricsRegistry,
    AuthOptions authOptions,
    AuthService auth,
    CatalogService catalog,
    ResourceService resources,
    SearchService search,
    UploadService uploads,
    CoverageService coverage,
    MediaService media,
    OrgService org,
    ScheduleService schedule,
    DeliveryReport delivery,
    AutoScheduler autoSchedule,
    CalendarFeedService calendarFeeds,
    ObjectStore objects,
    List<HealthCheck> healthChecks,
    ImportService imports,
    LiveService live,
    SignalingHub hub,
    IceServers ice,
    LiveHls liveHls,
    FileCache hlsCache) { // null when the node keeps no HLS cache
}
