/* unit.h — the tiny unit-test harness every tests/unit/test_*.c uses.
 *
 * A test file defines test functions with TEST(name) { ... } and lists them in
 * UNIT_MAIN(test_a, test_b, ...). CHECK(cond) and CHECK_EQ_INT / CHECK_EQ_STR record a failure
 * (with file:line) and let the test go on; the binary prints "ok NAME" / "FAIL NAME" per test and
 * a closing line "N passed, N failed", exiting 1 when anything failed. tests/run.sh sums them.
 */
#ifndef MZ_UNIT_H
#define MZ_UNIT_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>

static int unit_current_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			unit_current_failed = 1;                                         \
		}                                                                        \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                               \
	do {                                                                             \
		long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);            \
		if (unit_a_ != unit_b_) {                                                \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__,  \
				__LINE__, #a, unit_a_, unit_b_);                         \
			unit_current_failed = 1;                                         \
		}                                                                        \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                               \
	do {                                                                             \
		const char *unit_a_ = (a), *unit_b_ = (b);                               \
		if (!unit_a_ || !unit_b_ || strcmp(unit_a_, unit_b_) != 0) {             \
			fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n",        \
				__FILE__, __LINE__, #a, unit_a_ ? unit_a_ : "(null)",    \
				unit_b_ ? unit_b_ : "(null)");                           \
			unit_current_failed = 1;                                         \
		}                                                                        \
	} while (0)

struct unit_case {
	const char *name;
	void (*fn)(void);
};

static inline int unit_run(const struct unit_case *cases, size_t n)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		unit_current_failed = 0;
		cases[i].fn();
		if (unit_current_failed) {
			failed++;
			printf("FAIL %s\n", cases[i].name);
		} else {
			passed++;
			printf("ok %s\n", cases[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#define UNIT_CASE_(fn) {#fn, fn},
#define UNIT_MAIN(...)                                                                   \
	int main(void)                                                                   \
	{                                                                                \
		static const struct unit_case cases[] = {UNIT_FOREACH_(UNIT_CASE_, __VA_ARGS__)}; \
		return unit_run(cases, sizeof cases / sizeof cases[0]);                  \
	}

/* Up to 40 tests per file. */
#define UNIT_FE_1(m, x) m(x)
#define UNIT_FE_2(m, x, ...) m(x) UNIT_FE_1(m, __VA_ARGS__)
#define UNIT_FE_3(m, x, ...) m(x) UNIT_FE_2(m, __VA_ARGS__)
#define UNIT_FE_4(m, x, ...) m(x) UNIT_FE_3(m, __VA_ARGS__)
#define UNIT_FE_5(m, x, ...) m(x) UNIT_FE_4(m, __VA_ARGS__)
#define UNIT_FE_6(m, x, ...) m(x) UNIT_FE_5(m, __VA_ARGS__)
#define UNIT_FE_7(m, x, ...) m(x) UNIT_FE_6(m, __VA_ARGS__)
#define UNIT_FE_8(m, x, ...) m(x) UNIT_FE_7(m, __VA_ARGS__)
#define UNIT_FE_9(m, x, ...) m(x) UNIT_FE_8(m, __VA_ARGS__)
#define UNIT_FE_10(m, x, ...) m(x) UNIT_FE_9(m, __VA_ARGS__)
#define UNIT_FE_11(m, x, ...) m(x) UNIT_FE_10(m, __VA_ARGS__)
#define UNIT_FE_12(m, x, ...) m(x) UNIT_FE_11(m, __VA_ARGS__)
#define UNIT_FE_13(m, x, ...) m(x) UNIT_FE_12(m, __VA_ARGS__)
#define UNIT_FE_14(m, x, ...) m(x) UNIT_FE_13(m, __VA_ARGS__)
#define UNIT_FE_15(m, x, ...) m(x) UNIT_FE_14(m, __VA_ARGS__)
#define UNIT_FE_16(m, x, ...) m(x) UNIT_FE_15(m, __VA_ARGS__)
#define UNIT_FE_17(m, x, ...) m(x) UNIT_FE_16(m, __VA_ARGS__)
#define UNIT_FE_18(m, x, ...) m(x) UNIT_FE_17(m, __VA_ARGS__)
#define UNIT_FE_19(m, x, ...) m(x) UNIT_FE_18(m, __VA_ARGS__)
#define UNIT_FE_20(m, x, ...) m(x) UNIT_FE_19(m, __VA_ARGS__)
#define UNIT_FE_21(m, x, ...) m(x) UNIT_FE_20(m, __VA_ARGS__)
#define UNIT_FE_22(m, x, ...) m(x) UNIT_FE_21(m, __VA_ARGS__)
#define UNIT_FE_23(m, x, ...) m(x) UNIT_FE_22(m, __VA_ARGS__)
#define UNIT_FE_24(m, x, ...) m(x) UNIT_FE_23(m, __VA_ARGS__)
#define UNIT_FE_25(m, x, ...) m(x) UNIT_FE_24(m, __VA_ARGS__)
#define UNIT_FE_26(m, x, ...) m(x) UNIT_FE_25(m, __VA_ARGS__)
#define UNIT_FE_27(m, x, ...) m(x) UNIT_FE_26(m, __VA_ARGS__)
#define UNIT_FE_28(m, x, ...) m(x) UNIT_FE_27(m, __VA_ARGS__)
#define UNIT_FE_29(m, x, ...) m(x) UNIT_FE_28(m, __VA_ARGS__)
#define UNIT_FE_30(m, x, ...) m(x) UNIT_FE_29(m, __VA_ARGS__)
#define UNIT_FE_31(m, x, ...) m(x) UNIT_FE_30(m, __VA_ARGS__)
#define UNIT_FE_32(m, x, ...) m(x) UNIT_FE_31(m, __VA_ARGS__)
#define UNIT_FE_33(m, x, ...) m(x) UNIT_FE_32(m, __VA_ARGS__)
#define UNIT_FE_34(m, x, ...) m(x) UNIT_FE_33(m, __VA_ARGS__)
#define UNIT_FE_35(m, x, ...) m(x) UNIT_FE_34(m, __VA_ARGS__)
#define UNIT_FE_36(m, x, ...) m(x) UNIT_FE_35(m, __VA_ARGS__)
#define UNIT_FE_37(m, x, ...) m(x) UNIT_FE_36(m, __VA_ARGS__)
#define UNIT_FE_38(m, x, ...) m(x) UNIT_FE_37(m, __VA_ARGS__)
#define UNIT_FE_39(m, x, ...) m(x) UNIT_FE_38(m, __VA_ARGS__)
#define UNIT_FE_40(m, x, ...) m(x) UNIT_FE_39(m, __VA_ARGS__)
#define UNIT_FE_N_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, \
		   _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32,  \
		   _33, _34, _35, _36, _37, _38, _39, _40, N, ...)                           \
	UNIT_FE_##N
#define UNIT_FOREACH_(m, ...)                                                            \
	UNIT_FE_N_(__VA_ARGS__, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, \
		   24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, \
		   2, 1)(m, __VA_ARGS__)

#endif
