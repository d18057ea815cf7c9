/* lottery_api.c — the HTTP routes of the lottery module: handlers only translate. */
#include "lottery/lottery.h"

const struct api_route lottery_routes[] = {
	{0},
};
