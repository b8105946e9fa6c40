-- Live classes (issue #5): who was in the room and when, and the key that signs room tokens.

-- One row per join of a participant to an occurrence's room; left_at is set when the connection ends (a reconnect
-- is a new row). The delivery report takes held classes and hours from session_occurrences' actual times, which
-- the room sets when the lead teacher starts and ends the class.
create table live_attendance (
  id            uuid primary key,
  occurrence_id uuid not null references session_occurrences(id) on delete cascade,
  user_id       uuid not null references users(id),
  role          text not null check (role in ('lead', 'receiver', 'observer')),
  school_id     uuid references schools(id),
  classroom_id  uuid references classrooms(id),
  joined_at     timestamptz not null,
  left_at       timestamptz
);
create index live_attendance_occurrence on live_attendance (occurrence_id, joined_at);

-- Keys shared by every node of the platform (HMAC keys). Created once, at first start.
create table platform_keys (
  name       text primary key,
  secret     bytea not null,
  created_at timestamptz not null default now()
);
