-- Teachers (issue #4): a teacher is a user of a school with the subjects they teach and a weekly limit of
-- cross-school periods (专递课堂 and the like on top of their own timetable), which automatic scheduling respects.
create table teacher_profiles (
  user_id               uuid primary key references users(id) on delete cascade,
  subjects              text[] not null default '{}',
  max_weekly_periods    int not null default 8 check (max_weekly_periods between 0 and 40),
  updated_at            timestamptz not null default now()
);
create index teacher_profiles_subjects on teacher_profiles using gin (subjects);
