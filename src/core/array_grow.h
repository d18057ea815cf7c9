/* array_grow.h — growing a malloc'd array one element at a time (doubling), for lists read row by row.
 *
 *     struct item *items = NULL; int n = 0, alloc = 0;
 *     while (…) {
 *             if (array_grow(&items, n, &alloc, sizeof *items, 16) < 0)
 *                     return oom();
 *             items[n++] = …;
 *     }
 *
 * The caller frees the array with free(). On failure the array is left as it was. */
#ifndef MZ_ARRAY_GROW_H
#define MZ_ARRAY_GROW_H

#include <stddef.h>

/* Make room for element n (0-based) of *parray, which holds *alloc elements of size elem:
 * doubles it (first size: first) when n == *alloc. 0, or -1 when out of memory. parray is the
 * address of the array pointer (any type). */
int array_grow(void *parray, int n, int *alloc, size_t elem, int first);

#endif
