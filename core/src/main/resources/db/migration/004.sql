-- The organisation of a county (issue #4, first part): schools get a kind, and hold classrooms and classes.
alter table schools add column kind text not null default 'urban'
  check (kind in ('urban', 'town_seat', 'rural', 'teaching_site'));
alter table schools add column updated_at timestamptz not null default now();
create unique index schools_name on schools (region_code, name);

create table classrooms (
  id          uuid primary key,
  school_id   uuid not null references schools(id),
  name        text not null,
  kind        text not null check (kind in ('ordinary', 'recording', 'interactive')),
  capacity    int not null check (capacity between 1 and 1000),
  created_at  timestamptz not null default now(),
  unique (school_id, name)
);

create table classes (
  id          uuid primary key,
  school_id   uuid not null references schools(id),
  grade       text not null,
  name        text not null,
  size        int not null check (size between 1 and 200),
  created_at  timestamptz not null default now(),
  unique (school_id, grade, name)
);
