CREATE TYPE doc_status AS ENUM ('draft', 'live', 'archived');
