-- Live recordings (issue #5 §3): a class is recorded while it runs, so its upload starts before its size is known
-- (tus creation-defer-length: length stays null until declared), and each recording is a resource of the occurrence.
alter table uploads alter column length drop not null;

create table live_recordings (
  resource_id   uuid primary key references resources(id) on delete cascade,
  occurrence_id uuid not null references session_occurrences(id) on delete cascade,
  session_id    uuid not null references class_sessions(id) on delete cascade,
  created_by    uuid not null references users(id),
  created_at    timestamptz not null default now()
);
create index live_recordings_occurrence on live_recordings (occurrence_id);
