/* banned.h — functions that are too easy to misuse (after git's banned.h). The Makefile
 * includes it into every file; the system headers come first so their declarations are not
 * touched. Use snprintf, memcpy with explicit lengths, strbuf, strtok_r instead. */
#ifndef MZ_BANNED_H
#define MZ_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)

#endif
