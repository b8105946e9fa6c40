-- Pairings (城乡结对: an urban school with one or more rural schools) and alliances or school groups (联盟,
-- 教育集团: a core school and members): one shape, a core school, members, dates and subjects.
create table school_groups (
  id              uuid primary key,
  kind            text not null check (kind in ('pairing', 'alliance')),
  name            text not null,
  core_school_id  uuid not null references schools(id),
  starts_on       date not null,
  ends_on         date,
  subjects        text[] not null default '{}',
  created_at      timestamptz not null default now(),
  check (ends_on is null or ends_on >= starts_on)
);
create table school_group_members (
  group_id   uuid not null references school_groups(id) on delete cascade,
  school_id  uuid not null references schools(id),
  primary key (group_id, school_id)
);
create index school_group_members_school on school_group_members (school_id);
