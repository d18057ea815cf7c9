/* assets.h — files compiled into the binary by tools/embed.c: the web UI (web/) and shipped
 * reference data (data/). Each table ends with an entry whose path is NULL. */
#ifndef MZ_ASSETS_H
#define MZ_ASSETS_H

#include <stddef.h>

struct asset {
	const char *path;          /* "/index.html", "/regions-3707.csv" */
	const unsigned char *data; /* NUL-terminated for convenience; len excludes the NUL */
	long len;
};

extern const struct asset assets[];      /* web/ */
extern const struct asset data_assets[]; /* data/ shipped files */

/* The asset at path in table, or NULL. */
const struct asset *asset_find(const struct asset *table, const char *path);

#endif
