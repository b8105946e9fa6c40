-- Automatic scheduling (issue #4 §3): a run of the solver over a term's dedicated-class demand, as a durable
-- background job whose result is a proposal an admin applies in one transaction or discards.
create table auto_schedules (
  id           uuid primary key,
  term_id      uuid not null references terms(id) on delete cascade,
  status       text not null default 'queued'
               check (status in ('queued', 'running', 'proposed', 'applied', 'discarded', 'failed')),
  progress     int not null default 0 check (progress between 0 and 100),
  request      jsonb not null,
  proposal     jsonb,
  error        text,
  created_by   uuid not null references users(id),
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  applied_at   timestamptz
);
create index auto_schedules_waiting on auto_schedules (created_at) where status in ('queued', 'running');
