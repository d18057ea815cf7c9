// prepare.mjs — the HTTP chores of bench/http.sh, in node (which `scripts/deps.sh bench` already
// requires), so the bench needs neither curl nor jq.
//
//   node bench/prepare.mjs wait URL [SECONDS]          poll URL until it answers 200
//   node bench/prepare.mjs static URL BYTES            URL must answer 200 with BYTES bytes
//   node bench/prepare.mjs ids BASE OUTFILE            (env BENCH_AUTH = "Bearer …")
//        fetch ids of persons in the token user's scope through the API (GET /api/v1/persons
//        ?limit=200 at 8 offsets spread over the scope's total), write them as request paths
//        /api/v1/persons/{id} to OUTFILE in a fixed pseudo-random order, and check that a sample
//        of them (every 50th) answers 200 with a masked id_number. Exits 1, loudly, otherwise.

import { writeFileSync } from 'node:fs';

const [mode, ...args] = process.argv.slice(2);
const die = (msg) => {
	console.error(`prepare.mjs: FAIL: ${msg}`);
	process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function get(url, auth) {
	const res = await fetch(url, { headers: auth ? { Authorization: auth } : {} });
	const text = await res.text();
	return { status: res.status, text };
}

async function getJson(url, auth) {
	const r = await get(url, auth);
	if (r.status !== 200) die(`GET ${url} answered ${r.status}: ${r.text.slice(0, 300)}`);
	try {
		return JSON.parse(r.text);
	} catch {
		die(`GET ${url}: not JSON: ${r.text.slice(0, 300)}`);
	}
}

if (mode === 'wait') {
	const [url, secs = '15'] = args;
	const until = Date.now() + Number(secs) * 1000;
	for (;;) {
		try {
			if ((await get(url)).status === 200) process.exit(0);
		} catch {
			/* not up yet */
		}
		if (Date.now() > until) die(`${url} did not answer 200 within ${secs} s`);
		await sleep(100);
	}
} else if (mode === 'static') {
	const [url, bytes] = args;
	const r = await fetch(url);
	const body = Buffer.from(await r.arrayBuffer());
	if (r.status !== 200 || body.length !== Number(bytes))
		die(`${url}: status ${r.status}, ${body.length} bytes (want 200, ${bytes})`);
} else if (mode === 'ids') {
	const [base, outfile] = args;
	const auth = process.env.BENCH_AUTH;
	if (!auth) die('BENCH_AUTH not set');
	const first = await getJson(`${base}/api/v1/persons?limit=1`, auth);
	const total = first.total;
	if (!(total > 0)) die(`no persons in scope (total ${total})`);
	const ids = new Set();
	const pages = 8;
	for (let k = 0; k < pages; k++) {
		const off = Math.floor((total * k) / pages);
		const pg = await getJson(`${base}/api/v1/persons?limit=200&offset=${off}`, auth);
		for (const p of pg.items) ids.add(p.id);
	}
	if (ids.size < 100) die(`only ${ids.size} ids fetched`);
	// fixed pseudo-random order, so consecutive requests do not walk one village
	const order = [...ids].map((id) => [Number((BigInt(id) * 2654435761n) % 100000007n), id]);
	order.sort((a, b) => a[0] - b[0]);
	const paths = order.map(([, id]) => `/api/v1/persons/${id}`);
	let checked = 0;
	let sample;
	for (let i = 0; i < paths.length; i += 50) {
		const p = await getJson(base + paths[i], auth);
		if (p.masked !== true || typeof p.id_number !== 'string' || !/^[0-9Xx]{2,}\*+[0-9Xx]+$/.test(p.id_number))
			die(`GET ${paths[i]}: id_number not masked: ${JSON.stringify({ id_number: p.id_number, masked: p.masked })}`);
		if (p.id !== Number(paths[i].split('/').pop())) die(`GET ${paths[i]} answered person ${p.id}`);
		if (!sample) sample = p;
		checked++;
	}
	const raw = await get(base + paths[0], auth);
	writeFileSync(outfile, paths.join('\n') + '\n');
	console.log(`${total} persons in scope, ${paths.length} ids, ${checked} checked: 200 + masked`);
	const { id, region_code, id_number, name, masked } = sample;
	console.log(`  sample: ${JSON.stringify({ id, region_code, id_number, name, masked })}, body ${Buffer.byteLength(raw.text)} bytes`);
} else {
	die(`usage: prepare.mjs wait URL | static URL BYTES | ids BASE OUTFILE`);
}
