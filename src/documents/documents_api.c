/* documents_api.c — the HTTP routes of the documents module: handlers only translate. */
#include "documents/documents.h"

const struct api_route documents_routes[] = {
	{0},
};
