/* demo_rng.c — the demo's own random numbers and day arithmetic (see demo_internal.h).
 *
 * xoshiro256** (Blackman & Vigna) seeded by splitmix64: fast, well distributed, and the same
 * on every platform, unlike rand(). Only integer arithmetic, so the demo's bytes never depend on
 * floating-point rounding. Dates use Howard Hinnant's days_from_civil / civil_from_days.
 */
#include "demo/demo_internal.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t demo_mix64(uint64_t x)
{
	return splitmix64(&x);
}

void demo_rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ demo_mix64(stream + 0x6a09e667f3bcc908ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
		r->s[0] = 1; /* the all-zero state is the one xoshiro cannot leave */
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	/* Lemire's multiply-shift with rejection: unbiased. */
	uint64_t m = (uint64_t)(uint32_t)(demo_rng_next(r) >> 32) * n;
	uint32_t low = (uint32_t)m;
	if (low < n) {
		uint32_t threshold = (uint32_t)(-n) % n;
		while (low < threshold) {
			m = (uint64_t)(uint32_t)(demo_rng_next(r) >> 32) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

int64_t demo_rng_range(struct demo_rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)(hi - lo) + 1;
	if (span <= UINT32_MAX)
		return lo + demo_rng_below(r, (uint32_t)span);
	return lo + (int64_t)(demo_rng_next(r) % span); /* never used with spans this wide */
}

int demo_rng_bp(struct demo_rng *r, uint32_t bp)
{
	return demo_rng_below(r, 10000) < bp;
}

int demo_rng_pick(struct demo_rng *r, const uint32_t *weights, int n)
{
	uint64_t total = 0;
	for (int i = 0; i < n; i++)
		total += weights[i];
	uint64_t x =
	    total <= UINT32_MAX ? demo_rng_below(r, (uint32_t)total) : demo_rng_next(r) % total;
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

/* ---- dates ---- */

int64_t demo_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void demo_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t demo_add_years(int64_t day, int n)
{
	int y, m, d;
	demo_civil_from_days(day, &y, &m, &d);
	y += n;
	if (m == 2 && d == 29 && !is_leap(y)) {
		m = 3;
		d = 1;
	}
	return demo_days_from_civil(y, m, d);
}

void demo_format_day(int64_t day, char out[11])
{
	int y, m, d;
	demo_civil_from_days(day, &y, &m, &d);
	int v[3] = {y, m, d}, w[3] = {4, 2, 2};
	char *o = out;
	for (int i = 0; i < 3; i++) {
		for (int k = w[i] - 1; k >= 0; k--) {
			o[k] = (char)('0' + v[i] % 10);
			v[i] /= 10;
		}
		o += w[i];
		*o++ = i < 2 ? '-' : '\0';
	}
}

int demo_parse_day(const char *s, int64_t *day)
{
	int y, m, d;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9') {
			return -1;
		}
	}
	if (s[10] != '\0')
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*day = demo_days_from_civil(y, m, d);
	return 0;
}
