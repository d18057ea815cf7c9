/* demo_names.c — surnames and given names for the demo city's synthetic people.
 *
 * Surnames are drawn by their national share (per 100,000 people, rounded from published
 * rankings), nudged towards Shandong where a name is notably common there (孙, 于, 高, 马, 王),
 * plus a few surnames typical of Weifang (逄, 栾, 隋, 綦, 鞠). Given names are one or two
 * characters from pools that differ by sex and by birth generation, so a grandmother is more
 * likely 秀英 and a granddaughter 欣怡. Static tables, no allocation.
 */
#include "demo/demo_internal.h"

#include <stdio.h>

/* clang-format off */
/* Each surname with its share per 100,000 people (the two tables run in step, 10 a row). */
static const char *const surnames[] = {
	"王",     "李",     "张",     "刘",     "陈",     "杨",     "赵",     "黄",     "周",     "吴",
	"徐",     "孙",     "马",     "朱",     "胡",     "郭",     "何",     "高",     "林",     "罗",
	"郑",     "梁",     "谢",     "宋",     "唐",     "许",     "韩",     "冯",     "邓",     "曹",
	"彭",     "曾",     "肖",     "田",     "董",     "袁",     "潘",     "于",     "蒋",     "蔡",
	"余",     "杜",     "叶",     "程",     "苏",     "魏",     "吕",     "丁",     "任",     "沈",
	"姚",     "卢",     "姜",     "崔",     "钟",     "谭",     "陆",     "汪",     "范",     "金",
	"石",     "廖",     "贾",     "夏",     "韦",     "付",     "方",     "白",     "邹",     "孟",
	"熊",     "秦",     "邱",     "江",     "尹",     "薛",     "闫",     "段",     "雷",     "侯",
	"龙",     "史",     "陶",     "黎",     "贺",     "顾",     "毛",     "郝",     "龚",     "邵",
	"万",     "钱",     "严",     "武",     "戴",     "孔",     "刁",     "逄",     "栾",     "隋",
	"綦",     "鞠",     "单",     "臧",     "管",     "宫",     "葛",     "牟",     "曲",     "房",
	"欧阳",    "诸葛",    "司马",
};
static const uint32_t surname_weights[] = {
	7600,    7000,    6900,    5300,    4300,    3100,    2400,    2100,    1900,    1800,
	1600,    1700,    1400,    1200,    1100,    1200,    900,     1300,    800,     700,
	800,     700,     600,     800,     600,     600,     700,     600,     500,     600,
	450,     400,     450,     550,     600,     450,     400,     700,     400,     400,
	350,     450,     350,     400,     400,     450,     450,     450,     400,     300,
	300,     300,     450,     400,     250,     250,     250,     250,     300,     250,
	300,     200,     300,     200,     150,     250,     200,     250,     200,     300,
	150,     200,     150,     150,     200,     200,     200,     150,     150,     200,
	100,     200,     100,     100,     100,     100,     150,     200,     100,     150,
	100,     100,     100,     150,     100,     150,     60,      80,      80,      70,
	40,      60,      80,      60,      80,      60,      100,     60,      80,      60,
	30,      10,      8,
};
/* clang-format on */

#define NSURNAMES ((int)(sizeof surnames / sizeof surnames[0]))
_Static_assert(sizeof surnames / sizeof surnames[0] ==
		   sizeof surname_weights / sizeof surname_weights[0],
	       "one weight per surname");

const char *demo_surname(struct demo_rng *r)
{
	return surnames[demo_rng_pick(r, surname_weights, NSURNAMES)];
}

/* Characters for given names, by generation (born before 1966, 1966–1989, 1990 on) and sex.
 * Each entry is one character of UTF-8; a two-character name takes two draws. */
static const char *const male_old[] = {
    "建", "国", "军", "明", "华", "福", "贵", "祥", "德", "文", "志", "海", "东", "春",
    "庆", "成", "山", "林", "永", "长", "金", "玉", "宝", "兴", "忠", "学", "生", "义",
    "胜", "友", "如", "立", "平", "树", "良", "存", "振", "江", "连", "清",
};
static const char *const female_old[] = {
    "秀", "英", "兰", "桂", "芝", "玉", "珍", "凤", "华", "荣", "淑", "梅", "翠", "云", "花",
    "琴", "芬", "香", "霞", "春", "菊", "爱", "美", "素", "月", "玲", "俊", "敏", "娥", "莲",
};
static const char *const male_mid[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏", "华",
    "飞", "波", "斌", "宇", "浩", "凯", "健", "俊", "峰", "建", "亮", "海", "东", "新",
    "锐", "锋", "兵", "龙", "林", "庆", "晓", "金", "利", "永", "志", "伦",
};
static const char *const female_mid[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "燕", "萍", "红", "梅",
    "琳", "洁", "雪", "婷", "慧", "莉", "倩", "颖", "晶", "丹", "凤", "云", "翠", "晓", "美",
};
static const char *const male_young[] = {
    "浩", "宇", "轩", "子", "涵", "博", "文", "泽", "睿", "昊", "然", "航", "铭", "豪",
    "杰", "一", "嘉", "俊", "晨", "阳", "锦", "鑫", "鹏", "辰", "皓", "天", "逸", "凯",
    "明", "宸", "佑", "梓", "煜", "毅", "承", "恒", "奕", "瑞", "硕", "诚",
};
static const char *const female_young[] = {
    "欣", "怡", "悦", "涵", "萱", "琪", "雨", "彤", "梓", "诗", "可", "馨", "子", "佳", "思",
    "语", "晨", "婷", "妍", "雅", "嘉", "一", "雪", "瑶", "淑", "静", "茜", "薇", "梦", "若",
};

#define NELEM(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

void demo_given_name(struct demo_rng *r, int male, int birth_year, char *out, int outlen)
{
	const char *const *pool;
	uint32_t n, two_bp;
	if (birth_year < 1966) {
		pool = male ? male_old : female_old;
		n = male ? NELEM(male_old) : NELEM(female_old);
		two_bp = 7000;
	} else if (birth_year < 1990) {
		pool = male ? male_mid : female_mid;
		n = male ? NELEM(male_mid) : NELEM(female_mid);
		two_bp = 6000;
	} else {
		pool = male ? male_young : female_young;
		n = male ? NELEM(male_young) : NELEM(female_young);
		two_bp = 8500;
	}
	uint32_t a = demo_rng_below(r, n);
	if (!demo_rng_bp(r, two_bp)) {
		snprintf(out, (size_t)outlen, "%s", pool[a]);
		return;
	}
	uint32_t b = demo_rng_below(r, n);
	if (b == a && !demo_rng_bp(r, 2000)) /* a reduplicated name (婷婷) only sometimes */
		b = (a + 1 + demo_rng_below(r, n - 1)) % n;
	snprintf(out, (size_t)outlen, "%s%s", pool[a], pool[b]);
}
