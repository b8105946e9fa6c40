-- Transcoding: one job per file version of a video or recording resource, the published HLS of each resource,
-- and where each viewer stopped.
create table transcode_jobs (
  id            uuid primary key,
  resource_id   uuid not null references resources(id) on delete cascade,
  source_key    text not null,
  status        text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress      real not null default 0,
  attempts      int not null default 0,
  -- 0 for jobs taken back from a node that died: they go first
  priority      int not null default 1,
  not_before    timestamptz not null default now(),
  error_code    text,
  error_zh      text,
  error_en      text,
  worker        text,
  heartbeat_at  timestamptz,
  created_at    timestamptz not null default now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  unique (resource_id, source_key)
);
create index transcode_jobs_queue on transcode_jobs (priority, created_at) where status = 'queued';
create index transcode_jobs_running on transcode_jobs (heartbeat_at) where status = 'running';
create index transcode_jobs_resource on transcode_jobs (resource_id, created_at desc);

-- A row appears in one step when a job's outputs are all stored: the pointer to the job's prefix is the publication.
create table media (
  resource_id       uuid primary key references resources(id) on delete cascade,
  job_id            uuid not null,
  prefix            text not null,
  duration_seconds  double precision not null,
  audio_only        boolean not null,
  renditions        jsonb not null,
  poster            text,
  thumbnails        text,
  published_at      timestamptz not null default now()
);

create table playback_positions (
  user_id           uuid not null references users(id) on delete cascade,
  resource_id       uuid not null references resources(id) on delete cascade,
  position_seconds  double precision not null,
  updated_at        timestamptz not null default now(),
  primary key (user_id, resource_id)
);
