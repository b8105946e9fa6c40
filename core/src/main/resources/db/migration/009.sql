-- iCalendar feeds (issue #4): a secret URL per teacher or classroom that calendar apps subscribe to. Only the
-- SHA-256 of the secret is kept, as for auth_sessions: a copy of the database does not hand out the feeds.
create table calendar_feeds (
  id           uuid primary key,
  kind         text not null check (kind in ('teacher', 'classroom')),
  resource_id  uuid not null,
  token_hash   bytea not null unique,
  created_by   uuid not null references users(id) on delete cascade,
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz
);
create index calendar_feeds_creator on calendar_feeds (created_by) where revoked_at is null;

-- What a feed needs to say about an occurrence that calendars already hold: where the weekly rule put it before it
-- was moved (RECURRENCE-ID), and a revision counter (SEQUENCE) with its time (LAST-MODIFIED). Rows from before
-- this migration cannot tell where they were before a move; their current time stands for it.
alter table session_occurrences add column original_starts_at timestamptz;
update session_occurrences set original_starts_at = starts_at;
alter table session_occurrences alter column original_starts_at set not null;
alter table session_occurrences add column revision int not null default 0;
alter table session_occurrences add column updated_at timestamptz not null default now();
