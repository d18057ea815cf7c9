/* assets.c — looking up files compiled into the binary (see assets.h). */
#include "http/assets.h"

#include <string.h>

const struct asset *asset_find(const struct asset *table, const char *path)
{
	for (const struct asset *a = table; a->path; a++)
		if (strcmp(a->path, path) == 0)
			return a;
	return NULL;
}
