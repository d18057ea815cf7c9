-- payroll.sql — the payroll bench's cases, made by SQL (bench/payroll.sh runs it once on a
-- fresh `minzheng init` + tiny `demo` database, which brings the regions, units and policy
-- parameters): 1,000,000 active assistance cases = 1,000,000 beneficiaries paid per month.
--   700,000 低保 households of 2 members (head + spouse, small incomes: each household's amount
--           is computed by the rules from its members), 250,000 特困 persons (care level from
--           the six activities, centralised or scattered), 40,000 orphans, 10,000
--           de-facto-unsupported children;
-- spread round-robin over every village of the city (so over all 16 management units), each
-- with its own household, persons and bank account. Ids start far above the demo's.
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
PRAGMA temp_store = MEMORY;
BEGIN;
CREATE TEMP TABLE v (n INTEGER PRIMARY KEY, code TEXT, unit_code TEXT);
INSERT INTO v (code, unit_code) SELECT code, unit_code FROM regions WHERE level = 5 ORDER BY code;
CREATE TEMP TABLE s (i INTEGER PRIMARY KEY);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 999999)
INSERT INTO s SELECT i FROM c;
CREATE TEMP TABLE k (i INTEGER PRIMARY KEY, program TEXT, code TEXT, unit_code TEXT, residence TEXT);
INSERT INTO k
SELECT s.i,
       CASE WHEN s.i % 100 < 70 THEN 'dibao' WHEN s.i % 100 < 95 THEN 'tekun'
            WHEN s.i % 100 < 99 THEN 'orphan' ELSE 'unsupported_child' END,
       v.code, v.unit_code, CASE WHEN s.i % 3 = 0 THEN 'urban' ELSE 'rural' END
FROM s JOIN v ON v.n = s.i % (SELECT count(*) FROM v) + 1;

INSERT INTO households (id, region_code, address, residence_type, head_person_id, created_at, updated_at)
SELECT 10000000 + i, code, '', residence, 20000000 + 2 * i, '2019-12-01T00:00:00+08:00',
       '2019-12-01T00:00:00+08:00' FROM k;
-- the head (everyone) and, in 低保 households, the spouse
INSERT INTO persons (id, household_id, region_code, id_number, id_rev, name, relation, sex,
                     birth_date, monthly_income_fen, status, created_at, updated_at)
SELECT 20000000 + 2 * i, 10000000 + i, code, 'B' || printf('%017d', 2 * i),
       printf('%017d', 2 * i) || 'B', '测' || (i % 9973), 'head', 'male',
       CASE program WHEN 'dibao' THEN '1958-05-01' WHEN 'tekun' THEN '1940-01-01'
            ELSE '2012-06-01' END,
       CASE program WHEN 'dibao' THEN (i % 40) * 1000 ELSE 0 END, 'active',
       '2019-12-01T00:00:00+08:00', '2019-12-01T00:00:00+08:00' FROM k;
INSERT INTO persons (id, household_id, region_code, id_number, id_rev, name, relation, sex,
                     birth_date, monthly_income_fen, status, created_at, updated_at)
SELECT 20000000 + 2 * i + 1, 10000000 + i, code, 'B' || printf('%017d', 2 * i + 1),
       printf('%017d', 2 * i + 1) || 'B', '试' || (i % 9967), 'spouse', 'female', '1961-09-01',
       (i % 25) * 1000, 'active', '2019-12-01T00:00:00+08:00', '2019-12-01T00:00:00+08:00'
FROM k WHERE program = 'dibao';

INSERT INTO assistance_cases (id, program, household_id, person_id, region_code, unit_code,
       residence_type, status, applied_at, start_month, monthly_amount_fen, adl_mask,
       support_form, child_category, child_placement, parent_condition_1, parent_condition_2,
       payee_name, bank_name, bank_account, created_at, updated_at)
SELECT 30000000 + i, program, 10000000 + i,
       CASE WHEN program = 'dibao' THEN NULL ELSE 20000000 + 2 * i END,
       code, unit_code, residence, 'active', '2019-11-20', '2020-01', 30000,
       CASE WHEN program = 'tekun' THEN i % 64 ELSE 0 END,
       CASE WHEN program = 'tekun' THEN CASE WHEN i % 7 = 0 THEN 'centralised' ELSE 'scattered' END
            ELSE '' END,
       CASE program WHEN 'orphan' THEN 'orphan_scattered'
            WHEN 'unsupported_child' THEN 'unsupported_child' ELSE '' END,
       CASE WHEN program IN ('orphan', 'unsupported_child') THEN 'scattered' ELSE '' END,
       CASE program WHEN 'orphan' THEN 'dead' WHEN 'unsupported_child' THEN 'severely_disabled'
            ELSE '' END,
       CASE program WHEN 'orphan' THEN 'dead' WHEN 'unsupported_child' THEN 'seriously_ill'
            ELSE '' END,
       '', CASE i % 4 WHEN 0 THEN '中国农业银行' WHEN 1 THEN '中国建设银行'
            WHEN 2 THEN '潍坊农村商业银行' ELSE '中国邮政储蓄银行' END,
       '62' || printf('%017d', 1000000007 * i % 99999999999999989),
       '2019-12-01T00:00:00+08:00', '2019-12-01T00:00:00+08:00'
FROM k;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
ANALYZE;
