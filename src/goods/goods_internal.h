/* goods_internal.h — what the goods module's files share and no one else sees. */
#ifndef MZ_GOODS_INTERNAL_H
#define MZ_GOODS_INTERNAL_H

#include "goods/goods.h"

struct scope;


/* Check a distribution's recipient and linked records through their modules' read functions
 * in the actor's scope (404 with the field named), and fill in->recipient_name when empty.
 * Called before the write transaction opens. */
int goods_links_check(struct db *db, const struct actor *a, struct goods_move_in *in,
		      struct err *e);

#endif
