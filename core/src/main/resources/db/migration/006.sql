-- Terms (学期) with holidays and make-up days (调休), and each school's bell schedule (作息时间: numbered periods,
-- some only on certain weekdays). All times are Asia/Shanghai wall-clock times.
create table terms (
  id            uuid primary key,
  name          text not null unique,
  starts_on     date not null,
  ends_on       date not null,
  holidays      jsonb not null default '[]',
  make_up_days  jsonb not null default '[]',
  created_at    timestamptz not null default now(),
  check (ends_on >= starts_on)
);
alter table schools add column bell_schedule jsonb not null default '[]';
