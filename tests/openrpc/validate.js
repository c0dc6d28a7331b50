#!/usr/bin/env node
/*
 * validate.js - check an OpenRPC document (daemon/openrpc.json, or what
 * rpc.discover returned) against the OpenRPC 1.2 meta-schema and the rules
 * ipmipool adds; exits 0 if it holds, 1 if not, 2 on usage errors.
 *
 *   node validate.js [--api API.md] DOC [METHOD...]
 *
 * --api: every method named in the spec's method table must be in DOC.
 * METHOD...: so must these (e.g. the names a live daemon reports).
 * Needs @open-rpc/meta-schema and ajv on NODE_PATH (tests/openrpc/run.sh).
 */
'use strict';

const fs = require('fs');
const Ajv = require('ajv'); // default export: draft-07, as the meta-schema is
const metaSchema = require('@open-rpc/meta-schema').default;

let failed = 0;
let passed = 0;

function fail(what, msg) {
	failed++;
	console.log(`FAIL ${what}: ${msg}`);
}

function pass(what, msg) {
	passed++;
	console.log(`ok   ${what}${msg ? ': ' + msg : ''}`);
}

function ajvErrors(errors) {
	return (errors || [])
		.slice(0, 10)
		.map((e) => `${e.instancePath || '/'} ${e.message}` +
			(e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''))
		.join('\n       ');
}

/* The published meta-schema keeps the "$id"/"$schema" of the JSON Schema
 * meta-schema it bundles; ajv would resolve the local refs under them
 * against that (unbundled) id.  Drop them: keywords only, i.e. string
 * values -- "$id" under "definitions"/"properties" is a schema, kept. */
function stripIds(node) {
	if (Array.isArray(node))
		return node.map(stripIds);
	if (node === null || typeof node !== 'object')
		return node;
	const out = {};
	for (const [k, v] of Object.entries(node)) {
		if ((k === '$id' || k === '$schema') && typeof v === 'string')
			continue;
		out[k] = stripIds(v);
	}
	return out;
}

function pointer(doc, ref) {
	if (!ref.startsWith('#/'))
		return undefined;
	let node = doc;
	for (const raw of ref.slice(2).split('/')) {
		const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
		if (node === null || typeof node !== 'object' || !(key in node))
			return undefined;
		node = node[key];
	}
	return node;
}

function walkRefs(node, path, fn) {
	if (Array.isArray(node)) {
		node.forEach((v, i) => walkRefs(v, `${path}/${i}`, fn));
	} else if (node !== null && typeof node === 'object') {
		for (const [k, v] of Object.entries(node)) {
			if (k === '$ref' && typeof v === 'string')
				fn(v, path);
			else
				walkRefs(v, `${path}/${k}`, fn);
		}
	}
}

/* Method names from the spec: first cells of table rows like "| `bmc.list` |". */
function apiMethods(text) {
	const names = new Set();
	const re = /^\|\s*`([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)`\s*\|/gm;
	let m;
	while ((m = re.exec(text)) !== null)
		names.add(m[1]);
	return [...names];
}

function main(argv) {
	let api = null;
	const args = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--api' && i + 1 < argv.length)
			api = argv[++i];
		else if (argv[i].startsWith('-'))
			return usage();
		else
			args.push(argv[i]);
	}
	if (args.length < 1)
		return usage();
	const docPath = args[0];
	const expected = args.slice(1);

	let doc;
	try {
		doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
	} catch (e) {
		fail('json', `${docPath}: ${e.message}`);
		return finish();
	}
	pass('json', docPath);

	/* 1. The OpenRPC meta-schema. */
	const metaAjv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
	const validateDoc = metaAjv.compile(stripIds(metaSchema));
	if (validateDoc(doc))
		pass('meta-schema', `OpenRPC ${doc.openrpc}`);
	else
		fail('meta-schema', '\n       ' + ajvErrors(validateDoc.errors));
	if (!doc || !Array.isArray(doc.methods))
		return finish();

	/* 2. Every $ref points into the document. */
	let badRefs = 0;
	walkRefs(doc, '', (ref, path) => {
		if (pointer(doc, ref) === undefined) {
			badRefs++;
			fail('$ref', `${path}: ${ref} does not resolve`);
		}
	});
	if (badRefs === 0)
		pass('$ref', 'all resolve');

	const deref = (x) => (x && typeof x.$ref === 'string' ? pointer(doc, x.$ref) : x);
	const methods = doc.methods.map(deref).filter((m) => m && typeof m === 'object');

	/* 3. ipmipool's conventions. */
	const seen = new Set();
	let convBad = 0;
	for (const m of methods) {
		const why = [];
		if (seen.has(m.name))
			why.push('duplicate method name');
		seen.add(m.name);
		if (m.paramStructure !== 'by-name')
			why.push('paramStructure is not "by-name"');
		const params = (m.params || []).map(deref);
		const names = params.map((p) => p && p.name);
		if (new Set(names).size !== names.length)
			why.push('duplicate param names');
		if (names.includes('bmc') !== names.includes('bmcs'))
			why.push('"bmc" and "bmcs" must come together');
		for (const p of params)
			if (p && (p.name === 'bmc' || p.name === 'bmcs') && p.required)
				why.push(`"${p.name}" must not be required (bmc and bmcs exclude each other)`);
		if (!m.result)
			why.push('no result');
		for (const w of why) {
			convBad++;
			fail('conventions', `${m.name}: ${w}`);
		}
	}
	if (convBad === 0)
		pass('conventions', `${methods.length} methods: unique, by-name, bmc/bmcs paired`);

	/* 4. Every schema compiles as strict draft-07, and the examples fit them. */
	const BUNDLE = 'urn:ipmipool:openrpc';
	const rewrite = (node) => {
		if (Array.isArray(node))
			return node.map(rewrite);
		if (node === null || typeof node !== 'object')
			return node;
		const out = {};
		for (const [k, v] of Object.entries(node))
			out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
				? `${BUNDLE}#/definitions/${v.slice('#/components/schemas/'.length)}`
				: rewrite(v);
		return out;
	};
	const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true, validateFormats: false });
	let schemaBad = 0;
	const compile = (what, schema) => {
		try {
			return ajv.compile(rewrite(schema));
		} catch (e) {
			schemaBad++;
			fail('schemas', `${what}: ${e.message}`);
			return null;
		}
	};
	const components = (doc.components && doc.components.schemas) || {};
	try {
		ajv.addSchema({ $id: BUNDLE, definitions: rewrite(components) });
	} catch (e) {
		schemaBad++;
		fail('schemas', `components.schemas: ${e.message}`);
	}
	for (const name of Object.keys(components))
		compile(`components.schemas.${name}`, { $ref: `#/components/schemas/${name}` });
	let exampleCount = 0;
	let exampleBad = 0;
	for (const m of methods) {
		const params = (m.params || []).map(deref).filter(Boolean);
		const validators = {};
		for (const p of params)
			validators[p.name] = compile(`${m.name} param ${p.name}`, p.schema);
		const result = deref(m.result);
		const validateResult = result ? compile(`${m.name} result`, result.schema) : null;
		for (const ex of (m.examples || []).map(deref).filter(Boolean)) {
			exampleCount++;
			const what = `${m.name} example "${ex.name}"`;
			const given = new Set();
			for (const ep of (ex.params || []).map(deref).filter(Boolean)) {
				given.add(ep.name);
				const v = validators[ep.name];
				if (!(ep.name in validators)) {
					exampleBad++;
					fail('examples', `${what}: unknown param "${ep.name}"`);
				} else if (v && !v(ep.value)) {
					exampleBad++;
					fail('examples', `${what}: param ${ep.name}: ${ajvErrors(v.errors)}`);
				}
			}
			for (const p of params)
				if (p.required && !given.has(p.name)) {
					exampleBad++;
					fail('examples', `${what}: required param "${p.name}" missing`);
				}
			if (given.has('bmc') && given.has('bmcs')) {
				exampleBad++;
				fail('examples', `${what}: both bmc and bmcs`);
			}
			const r = deref(ex.result);
			if (r && validateResult && !validateResult(r.value)) {
				exampleBad++;
				fail('examples', `${what}: result: ${ajvErrors(validateResult.errors)}`);
			}
		}
	}
	if (schemaBad === 0)
		pass('schemas', `${Object.keys(components).length} components and every param/result compile (draft-07, strict)`);
	if (exampleBad === 0)
		pass('examples', `${exampleCount} examples match their schemas`);

	/* 5. The methods the spec (or a live daemon) names are all here. */
	const names = new Set(methods.map((m) => m.name));
	const compare = (what, list) => {
		const missing = list.filter((n) => !names.has(n));
		const extra = [...names].filter((n) => !list.includes(n));
		if (list.length === 0)
			fail(what, 'no method names to compare with');
		else if (missing.length)
			fail(what, `missing from the document: ${missing.join(', ')}`);
		else
			pass(what, `all ${list.length} present` +
				(extra.length ? ` (also documented: ${extra.join(', ')})` : ''));
	};
	if (api !== null) {
		let text;
		try {
			text = fs.readFileSync(api, 'utf8');
		} catch (e) {
			fail('api-methods', `${api}: ${e.message}`);
		}
		if (text !== undefined)
			compare('api-methods', apiMethods(text));
	} else {
		console.log('skip api-methods: no --api API.md given');
	}
	if (expected.length)
		compare('listed-methods', expected);
	return finish();
}

function usage() {
	console.error('usage: validate.js [--api API.md] DOC [METHOD...]');
	return 2;
}

function finish() {
	console.log(`openrpc: ${passed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
