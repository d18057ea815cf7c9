/* test_array_grow.c — core/array_grow: doubling an array row by row. */
#include "unit.h"

#include "core/array_grow.h"

#include <stdlib.h>

TEST(first_growth_allocates_the_first_size_then_doubles)
{
	int *a = NULL, alloc = 0;
	CHECK_EQ_INT(array_grow(&a, 0, &alloc, sizeof *a, 4), 0);
	CHECK_EQ_INT(alloc, 4);
	CHECK(a != NULL);
	for (int i = 0; i < 4; i++)
		a[i] = i;
	CHECK_EQ_INT(array_grow(&a, 3, &alloc, sizeof *a, 4), 0); /* room already: unchanged */
	CHECK_EQ_INT(alloc, 4);
	CHECK_EQ_INT(array_grow(&a, 4, &alloc, sizeof *a, 4), 0); /* full: 4 → 8 */
	CHECK_EQ_INT(alloc, 8);
	CHECK_EQ_INT(a[3], 3); /* contents kept */
	free(a);
}

TEST(a_thousand_appends_keep_every_element)
{
	struct pair {
		int x, y;
	} *a = NULL;
	int n = 0, alloc = 0;
	for (int i = 0; i < 1000; i++) {
		CHECK_EQ_INT(array_grow(&a, n, &alloc, sizeof *a, 16), 0);
		a[n].x = i;
		a[n++].y = -i;
	}
	CHECK_EQ_INT(alloc, 1024); /* 16 · 2⁶ */
	long sum = 0;
	for (int i = 0; i < n; i++)
		sum += a[i].x + a[i].y;
	CHECK_EQ_INT(sum, 0);
	CHECK_EQ_INT(a[999].x, 999);
	free(a);
}

TEST(an_impossible_size_fails_and_leaves_the_array)
{
	char *a = NULL;
	int alloc = 0;
	CHECK_EQ_INT(array_grow(&a, 0, &alloc, 1, 8), 0);
	a[0] = 'k';
	int big = 1 << 30; /* doubling past INT32_MAX is refused */
	CHECK_EQ_INT(array_grow(&a, big, &big, 1, 8), -1);
	CHECK_EQ_INT(a[0], 'k');
	free(a);
}

UNIT_MAIN(first_growth_allocates_the_first_size_then_doubles, a_thousand_appends_keep_every_element,
	  an_impossible_size_fails_and_leaves_the_array)
