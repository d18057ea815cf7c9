/* array_grow.c — doubling a malloc'd array (see grow.h). */
#include "core/array_grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int array_grow(void *parray, int n, int *alloc, size_t elem, int first)
{
	if (n < *alloc)
		return 0;
	if (*alloc > INT32_MAX / 2)
		return -1;
	int na = *alloc ? *alloc * 2 : first;
	void *old;
	memcpy(&old, parray, sizeof old);
	void *p = realloc(old, (size_t)na * elem);
	if (!p)
		return -1;
	memcpy(parray, &p, sizeof p);
	*alloc = na;
	return 0;
}
