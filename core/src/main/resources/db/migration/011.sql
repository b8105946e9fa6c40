-- Schools' own timetables (issue #4: CSV import). They make teachers, classes and classrooms busy in their periods:
-- the conflict check and automatic scheduling read them. starts/ends are the Asia/Shanghai wall-clock times of the
-- period in the school's bell schedule when the timetable was imported (so readers need no bell-schedule lookup);
-- after a change of the bell schedule, import the timetable again to follow it.
create table timetable_entries (
  id            uuid primary key,
  school_id     uuid not null references schools(id),
  term_id       uuid not null references terms(id) on delete cascade,
  weekday       smallint not null check (weekday between 1 and 7),
  period        smallint not null check (period between 1 and 20),
  starts        time not null,
  ends          time not null,
  subject       text not null,
  teacher_id    uuid references users(id),
  class_id      uuid references classes(id),
  classroom_id  uuid references classrooms(id),
  check (ends > starts)
);
create index timetable_entries_teacher on timetable_entries (teacher_id, term_id) where teacher_id is not null;
create index timetable_entries_class on timetable_entries (class_id, term_id) where class_id is not null;
create index timetable_entries_classroom on timetable_entries (classroom_id, term_id) where classroom_id is not null;
create index timetable_entries_school on timetable_entries (school_id, term_id);
