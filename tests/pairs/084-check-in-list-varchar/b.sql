CREATE TABLE ticket (
    id integer PRIMARY KEY,
    state varchar(16) NOT NULL
        CONSTRAINT ticket_state_check CHECK (state IN ('open', 'closed', 'it''s')),
    kind varchar NOT NULL DEFAULT 'bug'
        CONSTRAINT ticket_kind_check CHECK (kind NOT IN ('x', 'y')),
    size bigint CONSTRAINT ticket_size_check CHECK (size IN (1, 2, 3)),
    code char(2) CONSTRAINT ticket_code_check CHECK (code IN ('ab', 'cd')),
    flag boolean DEFAULT (('a'::varchar) = ANY (ARRAY['a', 'b']))
);
CREATE INDEX ticket_open ON ticket (id) WHERE state IN ('open', 'new');
CREATE INDEX ticket_expr ON ticket ((state IN ('a', 'b')));
ALTER TABLE ticket ENABLE ROW LEVEL SECURITY;
CREATE POLICY ticket_read ON ticket USING (state IN ('open', 'closed'));
CREATE VIEW open_ticket AS
    SELECT id, state FROM ticket WHERE state IN ('open', 'new') AND kind NOT IN ('z');
