-- Regions (issue #4 §1): province, city, county and town with their national codes (行政区划代码), each under its
-- parent. Schools keep their region code as before; the registry names the codes.
create table regions (
  code         text primary key,
  name         text not null,
  level        text not null check (level in ('province', 'city', 'county', 'town')),
  parent_code  text references regions(code),
  created_at   timestamptz not null default now(),
  check ((level = 'province') = (parent_code is null))
);
create index regions_parent on regions (parent_code);
