/* import.h — importing spreadsheets (Excel .xlsx, CSV in UTF-8 or GB18030): public face.
 * (Owned by the import module; placeholder until it lands.) */
#ifndef MZ_IMPORT_H
#define MZ_IMPORT_H

#include "http/api.h"

extern const char import_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route import_routes[];

#endif
