CREATE TABLE release_country (release int, date_year smallint, country int);
CREATE TABLE release_unknown_country (release int, date_year smallint);
CREATE VIEW release_event AS
    SELECT release, date_year, country
    FROM (
        SELECT release, date_year, country FROM release_country
        UNION ALL
        SELECT release, date_year, NULL FROM release_unknown_country
    ) AS q;
CREATE VIEW dated AS
    SELECT r.release FROM release_country r
    WHERE EXISTS (SELECT NULL, 'x' FROM release_unknown_country u
                  WHERE u.release = r.release)
      AND r.date_year::text IN (SELECT '1999' UNION SELECT NULL);
