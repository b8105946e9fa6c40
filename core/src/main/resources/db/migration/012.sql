-- A receiving school confirms a session it takes part in (issue #4 §2: "the receiving school confirms").
alter table session_receivers add column confirmed_at timestamptz;
alter table session_receivers add column confirmed_by uuid references users(id);
