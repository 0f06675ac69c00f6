CREATE TABLE release_country (release int, date_year smallint, country int);
CREATE TABLE release_unknown_country (release int, date_year smallint);
