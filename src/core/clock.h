/* clock.h — the time of day as the bureau sees it (Asia/Shanghai, UTC+8, no DST). */
#ifndef MZ_CLOCK_H
#define MZ_CLOCK_H

#include <stdint.h>

/* "2026-11-29T10:00:00+08:00" into out[32]. */
void clock_now_iso(char out[32]);
/* "2026-11-29" into out[11]. */
void clock_today(char out[11]);
/* Seconds since the epoch. */
int64_t clock_unix(void);

#endif
