#!/usr/bin/env bash
# run.sh — what `make run` does after building: create the demo database on first start, then
# serve it. Usage: scripts/run.sh BINARY DB HOST:PORT
set -euo pipefail
bin=$1 db=$2 listen=$3
mkdir -p "$(dirname "$db")"
if [ ! -s "$db" ]; then
	echo "首次启动：正在创建演示数据库 $db …（约 10 秒）"
	"$bin" init --db "$db" >/dev/null
	"$bin" demo --db "$db" >"${db%.db}-demo.txt"
	echo "演示数据已生成（统计见 ${db%.db}-demo.txt）"
fi
cat <<MSG

  民政综合业务系统 minzheng 已就绪： http://$listen/
  演示账号（仅供演示，密码均为 Demo@2020）：
    admin                     市局管理员（潍坊市）
    leader                    领导（只读）
    county_370704             坊子区民政局工作人员
    township_370704008        太保庄街道民政助理
    village_370704008231      栾家山后村工作人员
  按 Ctrl-C 停止。

MSG
exec "$bin" serve --db "$db" --listen "$listen"
