/* import_api.c — the import module's routes (placeholder until the module lands). */
#include "import/import.h"

const struct api_route import_routes[] = {
	{0},
};
