-- Kelian schema, version 1: accounts, catalog, resources, uploads, search outbox.

create table schools (
  id           uuid primary key,
  name         text not null,
  region_code  text,
  created_at   timestamptz not null default now()
);

create table users (
  id            uuid primary key,
  username      text not null,
  display_name  text not null,
  password_hash text not null,
  roles         text[] not null,
  school_id     uuid references schools(id),
  region_code   text,
  disabled      boolean not null default false,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create unique index users_username on users (lower(username));

-- Opaque bearer tokens; only their SHA-256 is stored, so a database leak does not leak sessions.
create table auth_sessions (
  token_hash  bytea primary key,
  user_id     uuid not null references users(id) on delete cascade,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  revoked_at  timestamptz
);
create index auth_sessions_user on auth_sessions (user_id);

create table catalog_nodes (
  id          uuid primary key,
  parent_id   uuid references catalog_nodes(id),
  kind        text not null,
  title       text not null,
  position    int not null default 0,
  -- Materialized path from the root to this node (inclusive), kept in step on rename and move.
  path_ids    uuid[] not null,
  path_titles text[] not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index catalog_nodes_parent on catalog_nodes (parent_id, position);
create index catalog_nodes_path on catalog_nodes using gin (path_ids);

create table resources (
  id                 uuid primary key,
  title              text not null,
  description        text not null default '',
  type               text not null,
  scope              text not null,
  status             text not null,
  tags               text[] not null default '{}',
  owner_id           uuid not null references users(id),
  owner_school_id    uuid,
  owner_region_code  text,
  featured           boolean not null default false,
  file_object_key    text,
  file_name          text,
  file_size          bigint,
  file_sha256        text,
  file_content_type  text,
  view_count         bigint not null default 0,
  download_count     bigint not null default 0,
  version            int not null default 1,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  published_at       timestamptz
);
create index resources_owner on resources (owner_id, created_at desc);
create index resources_status on resources (status, created_at);

-- "restrict": a catalog node that still carries resources cannot be deleted by accident.
create table resource_catalog_nodes (
  resource_id uuid not null references resources(id) on delete cascade,
  node_id     uuid not null references catalog_nodes(id) on delete restrict,
  primary key (resource_id, node_id)
);
create index resource_catalog_nodes_node on resource_catalog_nodes (node_id);

create table resource_transitions (
  id           bigserial primary key,
  resource_id  uuid not null references resources(id) on delete cascade,
  from_status  text,
  to_status    text not null,
  actor_id     uuid not null references users(id),
  reason       text,
  at           timestamptz not null default now()
);
create index resource_transitions_resource on resource_transitions (resource_id, id);

-- A tus upload mapped onto an S3 multipart upload. Bytes that do not fill a part yet are kept as a
-- separate object (pending_key) so that nothing acknowledged lives only in memory or on one node's disk.
-- The SHA-256 is computed while bytes stream through; after a restart it is computed from the stored object.
create table uploads (
  id               uuid primary key,
  resource_id      uuid not null references resources(id) on delete cascade,
  owner_id         uuid not null references users(id),
  length           bigint not null,
  upload_offset    bigint not null default 0,
  file_name        text not null,
  object_key       text not null,
  s3_upload_id     text not null,
  parts            jsonb not null default '[]',
  pending_key      text,
  pending_size     bigint not null default 0,
  status           text not null default 'active',
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  expires_at       timestamptz not null
);
create index uploads_resource on uploads (resource_id);

-- Transactional outbox: every change that search must see adds a row in the same transaction.
create table search_outbox (
  id           bigserial primary key,
  resource_id  uuid not null,
  created_at   timestamptz not null default now()
);
