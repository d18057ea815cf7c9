/* price_api.c — the price module's routes (placeholder until the module lands). */
#include "price/price.h"

const struct api_route price_routes[] = {
	{0},
};
