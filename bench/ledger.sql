-- ledger.sql — the ledger bench's data, made by SQL (bench/ledger.sh runs it once on a fresh
-- `minzheng init` + tiny `demo` database, which brings the regions, units, users and policy
-- parameters): 1,000,000 hardship-ledger entries with 10,000,000 visits, as of 2020-04-30.
--   Every entry is its own registry person and household (ids far above the demo's), 1,000,000
--   of each, laid out village by village over every village of the city in code order (as
--   registration fills a city), ~141 per village; 坊子区 (370704) holds about 81,000 of them.
--   Categories: 低保 40 %, 特困 15 %, elderly living alone 15 %, seriously ill 8 %, severely
--   disabled 6 %, left-behind elderly 5 %, children in difficulty 3 %, left-behind children 2 %,
--   other 1.5 %, isolated families 1.5 %, orphans 1.5 %, de-facto-unsupported children 1 %, COVID
--   patient families 0.5 %, each with its demo visit frequency; 2 % of the entries closed.
--   Visits: 5–15 per entry (10 on average: 10,000,000), the last one between 0 and 1.25 ×
--   the frequency before 2020-04-30, the others at the frequency before it; so about 20 % of the
--   active entries are due by 2020-04-30. last_visit_on, next_due and visits on the entry agree
--   with the visits, as the ledger keeps them.
PRAGMA synchronous = OFF;
PRAGMA cache_size = -524288;
PRAGMA temp_store = MEMORY;
BEGIN;
CREATE TEMP TABLE v (n INTEGER PRIMARY KEY, code TEXT, unit_code TEXT);
INSERT INTO v (n, code, unit_code)
SELECT row_number() OVER (ORDER BY code) - 1, code, unit_code FROM regions WHERE level = 5 AND code LIKE '3707%';
CREATE TEMP TABLE s (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 999999)
INSERT INTO s SELECT i FROM c;
-- category bit and frequency (days) by i % 200
CREATE TEMP TABLE k (i INTEGER PRIMARY KEY, code TEXT, unit_code TEXT, bit INTEGER, f INTEGER,
                     nv INTEGER, back INTEGER, last TEXT, closed INTEGER);
INSERT INTO k (i, code, unit_code, bit, f, nv, closed)
SELECT s.i, v.code, v.unit_code,
       CASE WHEN s.i % 200 < 80 THEN 1024      -- dibao 30
            WHEN s.i % 200 < 110 THEN 2048     -- tekun 14
            WHEN s.i % 200 < 140 THEN 1        -- elderly_alone 7
            WHEN s.i % 200 < 156 THEN 128      -- seriously_ill 7
            WHEN s.i % 200 < 168 THEN 64       -- severely_disabled 14
            WHEN s.i % 200 < 178 THEN 2        -- left_behind_elderly 14
            WHEN s.i % 200 < 184 THEN 32       -- child_in_difficulty 14
            WHEN s.i % 200 < 188 THEN 4        -- left_behind_child 7
            WHEN s.i % 200 < 191 THEN 4096     -- other 30
            WHEN s.i % 200 < 194 THEN 512      -- isolated_family 1
            WHEN s.i % 200 < 197 THEN 8        -- orphan 7
            WHEN s.i % 200 < 199 THEN 16       -- unsupported_child 7
            ELSE 256 END,                      -- covid_patient_family 3
       CASE WHEN s.i % 200 < 80 THEN 30 WHEN s.i % 200 < 110 THEN 14 WHEN s.i % 200 < 140 THEN 7
            WHEN s.i % 200 < 156 THEN 7 WHEN s.i % 200 < 168 THEN 14 WHEN s.i % 200 < 178 THEN 14
            WHEN s.i % 200 < 184 THEN 14 WHEN s.i % 200 < 188 THEN 7 WHEN s.i % 200 < 191 THEN 30
            WHEN s.i % 200 < 194 THEN 1 WHEN s.i % 200 < 197 THEN 7 WHEN s.i % 200 < 199 THEN 7
            ELSE 3 END,
       5 + (s.i * 7 + 5) % 11,
       s.i % 50 = 7
FROM s JOIN v ON v.n = s.i * (SELECT count(*) FROM v) / 1000000;
UPDATE k SET back = ((i * 2654435761) % 1000) * (f + f / 4 + 1) / 1000;
UPDATE k SET last = date('2020-04-30', printf('%+d days', -back));

INSERT INTO households (id, region_code, address, residence_type, head_person_id, created_at, updated_at)
SELECT 10000000 + i, code, '台账测试', 'rural', 20000000 + i, '2019-12-01T00:00:00+08:00',
       '2019-12-01T00:00:00+08:00' FROM k;
INSERT INTO persons (id, household_id, region_code, id_number, id_rev, name, relation, sex,
                     birth_date, phone, status, created_at, updated_at)
SELECT 20000000 + i, 10000000 + i, code, 'L' || printf('%017d', i), printf('%017d', i) || 'L',
       '台' || (i % 9973), 'head', CASE WHEN i % 2 THEN 'male' ELSE 'female' END, '1940-01-01',
       '139' || printf('%08d', i), 'active', '2019-12-01T00:00:00+08:00',
       '2019-12-01T00:00:00+08:00' FROM k;
INSERT INTO ledger_entries (person_id, household_id, region_code, unit_code, auto_categories,
                            manual_categories, categories, frequency_days, status, close_kind,
                            close_reason, closed_on, joined_on, source, last_visit_on, next_due,
                            visits, created_at, updated_at)
SELECT 20000000 + i, 10000000 + i, code, unit_code, bit, 0, bit, f,
       CASE WHEN closed THEN 'closed' ELSE 'active' END, CASE WHEN closed THEN 'manual' ELSE '' END,
       CASE WHEN closed THEN '已入住养老机构' ELSE '' END, CASE WHEN closed THEN '2020-03-01' ELSE '' END,
       '2020-01-01', 'auto', last, date(last, printf('%+d days', f)), nv,
       '2020-01-01T00:00:00+08:00', last || 'T18:00:00+08:00'
FROM k ORDER BY i;
CREATE TEMP TABLE j (j INTEGER PRIMARY KEY);
WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM c WHERE j < 14)
INSERT INTO j SELECT j FROM c;
INSERT INTO ledger_visits (person_id, region_code, visited_on, mode, visitor, findings, actions,
                           due_on, next_due, late_days, recorded_by, recorded_at)
SELECT 20000000 + k.i, k.code, date(k.last, printf('%+d days', (j.j + 1 - k.nv) * k.f)),
       CASE WHEN (k.i + j.j) % 10 < 6 THEN 'home' WHEN (k.i + j.j) % 10 < 9 THEN 'phone' ELSE 'wechat' END,
       '走访人', '', '', date(k.last, printf('%+d days', (j.j + 1 - k.nv) * k.f)),
       date(k.last, printf('%+d days', (j.j + 2 - k.nv) * k.f)), 0, 'bench',
       date(k.last, printf('%+d days', (j.j + 1 - k.nv) * k.f)) || 'T18:00:00+08:00'
FROM k JOIN j ON j.j < k.nv ORDER BY k.i, j.j;
DELETE FROM ledger_dirty;
COMMIT;
