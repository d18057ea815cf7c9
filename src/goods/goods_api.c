/* goods_api.c — the HTTP routes of the goods module: handlers only translate. */
#include "goods/goods.h"

const struct api_route goods_routes[] = {
	{0},
};
