/* policy_schema.c — the table the policy module owns: policy_params, one row per (unit,
 * residence type, key, effective month). A change is a new row; the store updates a row's value
 * only while its month has not passed (policy_store.c), so the rows of past months are the
 * record of what was in force. The UNIQUE constraint's index also serves every lookup
 * (unit, residence, key, effective_from <= month, newest first). */
#include "policy/policy.h"

const char policy_schema_v1[] =
	"CREATE TABLE policy_params ("
	"  id INTEGER PRIMARY KEY,"
	"  unit_code TEXT NOT NULL,"            /* management unit (370704, 370791) or city (3707) */
	"  residence_type TEXT NOT NULL CHECK (residence_type IN ('urban','rural','all')),"
	"  key TEXT NOT NULL,"                  /* a key of policy_keys.c */
	"  value INTEGER NOT NULL,"             /* in the key's unit: fen, bp, months, years, days */
	"  effective_from TEXT NOT NULL,"       /* 'YYYY-MM' */
	"  note TEXT,"
	"  set_by TEXT,"
	"  set_at TEXT,"
	"  UNIQUE (unit_code, residence_type, key, effective_from)"
	");";
