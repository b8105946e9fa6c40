-- Captions of video and recording resources, one track per language; the cues are kept as data so that a track
-- can be served as WebVTT and its words can be searched.
create table captions (
  resource_id  uuid not null references resources(id) on delete cascade,
  lang         text not null,
  label        text not null,
  cues         jsonb not null,
  updated_at   timestamptz not null default now(),
  primary key (resource_id, lang)
);
