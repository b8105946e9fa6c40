-- Class sessions (issue #4): a lead classroom and teacher, receiving sides, and the occurrences a weekly session
-- expands to within its term. session_resources lists what a session occupies (teachers, classrooms, classes), so
-- that a conflict is one indexed lookup per occurrence.
create table class_sessions (
  id                 uuid primary key,
  type               text not null check (type in ('synchronous', 'dedicated', 'master_teacher', 'open_school', 'research')),
  title              text not null,
  lead_school_id     uuid not null references schools(id),
  lead_classroom_id  uuid not null references classrooms(id),
  lead_teacher_id    uuid not null references users(id),
  lead_class_id      uuid references classes(id),
  subject            text not null,
  grade              text not null,
  catalog_node_id    uuid references catalog_nodes(id),
  term_id            uuid references terms(id),
  weekly             boolean not null default false,
  live               boolean not null default true,
  recording          boolean not null default true,
  replay             boolean not null default true,
  live_audience      text not null check (live_audience in ('participants', 'logged_in', 'public')),
  replay_audience    text not null check (replay_audience in ('participants', 'logged_in', 'public')),
  bell_override      text,
  pairing_override   text,
  created_by         uuid not null references users(id),
  created_at         timestamptz not null default now()
);
create table session_receivers (
  session_id    uuid not null references class_sessions(id) on delete cascade,
  school_id     uuid not null references schools(id),
  classroom_id  uuid references classrooms(id),
  class_id      uuid references classes(id),
  teacher_id    uuid references users(id),
  primary key (session_id, school_id)
);
create table session_occurrences (
  id            uuid primary key,
  session_id    uuid not null references class_sessions(id) on delete cascade,
  starts_at     timestamptz not null,
  ends_at       timestamptz not null,
  status        text not null default 'scheduled' check (status in ('scheduled', 'live', 'ended', 'cancelled')),
  actual_start  timestamptz,
  actual_end    timestamptz,
  check (ends_at > starts_at)
);
create index session_occurrences_session on session_occurrences (session_id, starts_at);
create index session_occurrences_time on session_occurrences (starts_at) where status <> 'cancelled';
create table session_resources (
  session_id   uuid not null references class_sessions(id) on delete cascade,
  kind         text not null check (kind in ('teacher', 'classroom', 'class')),
  resource_id  uuid not null,
  school_id    uuid not null,
  primary key (session_id, kind, resource_id)
);
create index session_resources_lookup on session_resources (kind, resource_id);
