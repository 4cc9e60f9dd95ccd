"""What makes a store readable as it is by Datasette and sqlite-utils (one migration).

- ``documents_fts``: an FTS5 index over the documents' title and text, an external
  content table (``content="documents"``, the documents' rowid), the shape that
  ``sqlite-utils enable-fts`` makes and that both Datasette and sqlite-utils detect by
  themselves (``?_search=`` on the documents table; ``db["documents"].detect_fts()``).
  Triggers keep it in step with every insert, update and delete of a document; rows that
  were there before the migration are indexed by it (``'rebuild'``). SQLite's ``VACUUM``
  may renumber the rowids of a table without an INTEGER PRIMARY KEY: after one, run
  ``INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')``.
- ``merged_events``: a view with one row per event as merged across sources (an event
  cluster, or an event in no cluster), with ``latitude``/``longitude`` columns that
  datasette-cluster-map draws. The place (and its coordinates) is the member's with a
  resolved place of the finest precision, then the most confident; the date is the
  member's with the finest date precision, then the narrowest period. ``fatalities_min``
  and ``fatalities_max`` are the smallest and largest figure any member report gives.
  ``fftrack events`` makes the same merge in Python, with every source kept
  (``fftrack.resolve.merged``).
- ``event_sources``: a view of every per-report event with its source document's title,
  URL, publication date and outlet, and its sentence: the provenance of each row of
  ``merged_events`` (join on ``merged_id``).
"""

from __future__ import annotations

DATASETTE_SQL = """
CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title, text, content="documents"
);
INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER IF NOT EXISTS documents_au AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE VIEW IF NOT EXISTS merged_events AS
WITH members AS (
    SELECT e.*, COALESCE(e.cluster_id, e.id) AS merged_id,
           json_extract(e.data, '$.place.precision') AS geo_precision,
           CASE e.date_precision WHEN 'day' THEN 0 WHEN 'week' THEN 1 WHEN 'month' THEN 2
                WHEN 'season' THEN 3 WHEN 'year' THEN 4 ELSE 5 END AS date_rank,
           json_extract(e.data, '$.fatalities.value') AS fat_lo,
           COALESCE(json_extract(e.data, '$.fatalities.upper'),
                    json_extract(e.data, '$.fatalities.value')) AS fat_hi
    FROM events e
),
ranked AS (
    SELECT m.*,
           ROW_NUMBER() OVER (PARTITION BY merged_id ORDER BY lat IS NULL,
               COALESCE(geo_precision, 5), confidence DESC, id) AS place_rank,
           ROW_NUMBER() OVER (PARTITION BY merged_id ORDER BY date_rank,
               julianday(date_end) - julianday(date_start), date_start, id) AS when_rank
    FROM members m
),
grouped AS (
    SELECT m.merged_id, COUNT(*) AS n_reports, COUNT(DISTINCT m.document_id) AS n_sources,
           MIN(m.fat_lo) AS fatalities_min, MAX(m.fat_hi) AS fatalities_max,
           MIN(d.published) AS first_report, MAX(d.published) AS last_report
    FROM members m JOIN documents d ON d.id = m.document_id
    GROUP BY m.merged_id
)
SELECT p.merged_id AS id, p.cluster_id AS cluster_id, p.event_type AS event_type,
       p.sub_event_type AS sub_event_type, w.date_start AS date_start,
       w.date_end AS date_end, w.date_precision AS date_precision,
       p.country AS country, COALESCE(p.place_resolved, p.place_name) AS location,
       p.place_name AS place_as_written, p.lat AS latitude, p.lon AS longitude,
       p.geo_precision AS geo_precision,
       json_extract(p.data, '$.actors[0].normalized') AS actor1_normalized,
       json_extract(p.data, '$.actors[0].name') AS actor1,
       json_extract(p.data, '$.actors[1].name') AS actor2,
       json_extract(p.data, '$.claimed_by') AS claimed_by,
       g.fatalities_min AS fatalities_min, g.fatalities_max AS fatalities_max,
       g.n_reports AS n_reports, g.n_sources AS n_sources,
       g.first_report AS first_report, g.last_report AS last_report,
       p.sentence AS sentence, p.document_id AS document_id, p.extractor AS extractor
FROM ranked p
JOIN ranked w ON w.merged_id = p.merged_id AND w.when_rank = 1
JOIN grouped g ON g.merged_id = p.merged_id
WHERE p.place_rank = 1;
CREATE VIEW IF NOT EXISTS event_sources AS
SELECT COALESCE(e.cluster_id, e.id) AS merged_id, e.id AS event_id, e.event_type,
       e.sub_event_type, e.date_start, e.date_end, e.date_precision,
       COALESCE(e.place_resolved, e.place_name) AS location, e.lat AS latitude,
       e.lon AS longitude, e.sentence, e.document_id, d.title, d.url, d.published,
       d.source, e.extractor, e.confidence
FROM events e JOIN documents d ON d.id = e.document_id;
"""
