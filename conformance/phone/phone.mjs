#!/usr/bin/env node
// Reference answers for the phone blocks (Format Phone Number, Format Phone Number (E164)),
// computed the way the CTI adapter computes them in the browser: libphonenumber-js.
//
//   node phone.mjs cases [--seed N] [--count N|all]
//       One JSON object a line: a case (input, default country, style) with the adapter's
//       answers for both blocks. Cases are libphonenumber's example numbers, every type that
//       libphonenumber-js/max calls valid, written in many styles, paired with many default
//       countries; with --count, a seeded sample of them.
//   node phone.mjs judge [--summary]
//       Reads the cases back, each with our answers added (`ours: {national, e164}`), and writes
//       one verdict a line: whether each answer agrees with the adapter's, and whether an answer
//       that differs is a valid number that is none of the input's readings (libphonenumber-js,
//       google-libphonenumber) nor the example number it was written from (a wrong number).
//       With --summary, the last line is `{"summary": "<table>"}` too.
//   node phone.mjs one <input> [country]
//       The adapter's answers for one input, for a look by hand.
//
// The adapter's answer: `parsePhoneNumberFromString(input, country)` from the default bundle
// (`libphonenumber-js`, min metadata, as `import ... from 'libphonenumber-js'` gives it), then
// `.formatNational()` for Format Phone Number and `.number` (= `.format('E.164')`) for the E164
// block. When it returns undefined or throws (not a number, unknown default country, too short),
// the block returns its input unchanged. A country that is not an upper-case ISO code (`us`, `ZZ`)
// is no default country to libphonenumber-js.
//
// Two styles are text libphonenumber-js misreads: a full-width plus sign (it reads none) and
// keypad letters (it stops at the first letter). Their cases (class `deviation`) are judged
// against `deviationAnswer`, the rule the blocks follow there, and kept out of the agreement
// figure (class `agreement`).

import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import * as lib from 'libphonenumber-js';
import * as max from 'libphonenumber-js/max';

const require = createRequire(import.meta.url);
const examplesMobile = require('libphonenumber-js/examples.mobile.json');
const google = require('google-libphonenumber');
const gutil = google.PhoneNumberUtil.getInstance();
const GFormat = google.PhoneNumberFormat;

// ---------------------------------------------------------------------------------------------
// The adapter's answers.

/** What the two blocks return for `input` with default country `country`. */
export function adapter(input, country) {
  let parsed;
  try {
    parsed = lib.parsePhoneNumberFromString(input, country || undefined);
  } catch {
    parsed = undefined;
  }
  if (!parsed) return { national: input, e164: input, number: null, region: null };
  return {
    national: parsed.formatNational(),
    e164: parsed.number,
    number: parsed.number,
    region: parsed.country ?? null,
  };
}

/** google-libphonenumber's reading of the input (it reads keypad letters and a full-width plus
 * sign, which libphonenumber-js does not). */
function googleReading(input, country) {
  try {
    const parsed = gutil.parse(input, country || 'ZZ');
    return {
      national: gutil.format(parsed, GFormat.NATIONAL),
      e164: gutil.format(parsed, GFormat.E164),
      number: gutil.format(parsed, GFormat.E164),
      region: gutil.getRegionCodeForNumber(parsed) ?? null,
      ext: parsed.getExtension() || null,
      valid: gutil.isValidNumber(parsed),
    };
  } catch {
    return null;
  }
}

/** The blocks' answer for text libphonenumber-js misreads (class `deviation`):
 * google-libphonenumber's reading when the text has a full-width plus sign and that reading is a
 * valid number; else the adapter's, unless its reading is not a valid number and
 * google-libphonenumber's is. Google's number is written by libphonenumber-js. */
export function deviationAnswer(input, country) {
  const js = adapter(input, country);
  const g = googleReading(input, country);
  const plus = input.includes('\uff0b') && g?.valid;
  if (!plus && js.number && max.parsePhoneNumberFromString(js.number)?.isValid()) return js;
  if (!g || !g.valid) return js;
  const parsed = lib.parsePhoneNumberFromString(g.ext ? `${g.number};ext=${g.ext}` : g.number);
  return { national: parsed.formatNational(), e164: parsed.number, number: parsed.number, region: parsed.country ?? null };
}

/** `text` read as a number of `region` (libphonenumber-js/max): `{number, valid}` or null. */
function readBack(text, region) {
  try {
    const parsed = max.parsePhoneNumberFromString(text, region || undefined);
    return parsed ? { number: parsed.number, valid: parsed.isValid() } : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Cases.

/** mulberry32: a small seeded PRNG, so a seed gives the same cases on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every example number libphonenumber knows (one per region and type, plus the non-geographic
 * ones) that libphonenumber-js/max calls valid, as libphonenumber-js/max PhoneNumbers, in a
 * fixed order. */
function exampleNumbers() {
  const seen = new Set();
  const out = [];
  const add = (e164, type) => {
    if (seen.has(e164)) return;
    const parsed = max.parsePhoneNumberFromString(e164);
    if (!parsed || !parsed.isValid()) return;
    seen.add(e164);
    out.push({ parsed, type });
  };
  for (const region of max.getCountries()) {
    const example = max.getExampleNumber(region, examplesMobile);
    if (example) add(example.number, 'mobile (libphonenumber-js)');
  }
  for (const region of gutil.getSupportedRegions().sort()) {
    for (const [type, id] of Object.entries(google.PhoneNumberType)) {
      if (type === 'UNKNOWN' || type === 'FIXED_LINE_OR_MOBILE') continue;
      const example = gutil.getExampleNumberForType(region, id);
      if (example) add(gutil.format(example, GFormat.E164), type.toLowerCase());
    }
  }
  for (const code of gutil.getSupportedGlobalNetworkCallingCodes().sort((a, b) => a - b)) {
    const example = gutil.getExampleNumberForNonGeoEntity(code);
    if (example) add(gutil.format(example, GFormat.E164), 'non-geographic');
  }
  return out;
}

const FULL_WIDTH = (s) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))).replace(/\+/g, '\uff0b');
const ARABIC_INDIC = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
const EXTENDED_ARABIC_INDIC = (s) =>
  s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const KEYPAD = { 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ' };

/** The ways a number is written: name → (number, extension digits, rng) → text, or null when
 * the style does not apply to this number. */
const STYLES = {
  e164: (n) => n.number,
  international: (n) => n.formatInternational(),
  international_dashes: (n) => n.formatInternational().replace(/ /g, '-'),
  international_dots: (n) => n.formatInternational().replace(/ /g, '.'),
  international_parens: (n) => {
    const [cc, first, ...rest] = n.formatInternational().split(' ');
    return rest.length ? `${cc} (${first}) ${rest.join('-')}` : null;
  },
  // `+1415-555-2671`: the calling code run into the first group.
  international_run_in: (n) => {
    const [cc, ...rest] = n.formatInternational().split(' ');
    return rest.length ? cc + rest.join('-') : null;
  },
  idd_00: (n) => `00 ${n.countryCallingCode} ${n.nationalNumber}`,
  idd_011: (n) => `011 ${n.countryCallingCode} ${n.nationalNumber}`,
  national: (n) => (n.country ? n.formatNational() : null),
  national_digits: (n) => (n.country ? n.formatNational().replace(/\D/g, '') : null),
  national_significant: (n) => n.nationalNumber,
  tel_uri: (n) => n.getURI(),
  tel_uri_ext: (n, ext) => `${n.getURI()};ext=${ext}`,
  ext_semicolon: (n, ext) => `${n.number};ext=${ext}`,
  ext_word: (n, ext) => `${n.formatInternational()} ext. ${ext}`,
  ext_x: (n, ext) => `${n.formatInternational()} x${ext}`,
  ext_hash: (n, ext) => `${n.formatInternational()} #${ext}`,
  ext_trailing_hash: (n, ext) => `${n.formatInternational()} ${ext}#`,
  national_ext_word: (n, ext) => (n.country ? `${n.formatNational()} ext. ${ext}` : null),
  dangling_ext: (n) => `${n.formatInternational()} ext. `,
  full_width: (n) => FULL_WIDTH(n.formatInternational()).replace('\uff0b', '+'),
  // A full-width plus sign too: libphonenumber-js does not read it as a plus (class `deviation`).
  full_width_plus: (n) => FULL_WIDTH(n.formatInternational()),
  full_width_national: (n) => (n.country ? FULL_WIDTH(n.formatNational()) : null),
  arabic_indic: (n) => ARABIC_INDIC(n.number),
  extended_arabic_indic_national: (n) =>
    n.country ? EXTENDED_ARABIC_INDIC(n.formatNational().replace(/\D/g, '')) : null,
  padded: (n) => `  ${n.formatInternational()}  `,
  // Keypad letters for the last four digits (`+1 800 356 WXYZ`): libphonenumber-js does not read
  // letters (class `deviation`).
  vanity: (n, _ext, rng) => {
    const digits = n.number.slice(-4);
    if (/[01]/.test(digits)) return null;
    const letters = [...digits].map((d) => KEYPAD[d][Math.floor(rng() * KEYPAD[d].length)]);
    return n.number.slice(0, -4) + letters.join('');
  },
};

/** Styles libphonenumber-js misreads: judged against `deviationAnswer`, outside the agreement
 * figure. */
const DEVIATIONS = new Set(['vanity', 'full_width_plus']);

const FIXED_COUNTRIES = ['US', 'CA', 'GB', 'RU'];

/** Every case, in a fixed order for a seed. */
function allCases(seed) {
  const rng = prng(seed);
  const regions = max.getCountries();
  const cases = [];
  for (const { parsed, type } of exampleNumbers()) {
    for (const [style, write] of Object.entries(STYLES)) {
      const ext = String(1 + Math.floor(rng() * 9999));
      const input = write(parsed, ext, rng);
      if (input == null) continue;
      const own = parsed.country ?? '';
      const pick = () => regions[Math.floor(rng() * regions.length)];
      // A lower-case code is no default country to libphonenumber-js.
      const countries = new Set([own, ...FIXED_COUNTRIES, pick(), pick(), '', own.toLowerCase()]);
      for (const country of countries) {
        cases.push({ input, country, style, type, intended: parsed.number });
      }
    }
  }
  return cases;
}

function withAnswers(c, id) {
  const answer = adapter(c.input, c.country);
  const out = {
    id,
    input: c.input,
    country: c.country,
    style: c.style,
    type: c.type,
    class: DEVIATIONS.has(c.style) ? 'deviation' : 'agreement',
    intended: c.intended,
    national: answer.national,
    e164: answer.e164,
    number: answer.number,
    region: answer.region,
  };
  if (out.class === 'deviation') {
    const d = deviationAnswer(c.input, c.country);
    out.deviation = { national: d.national, e164: d.e164 };
  }
  return out;
}

function emitCases(seed, count) {
  const cases = allCases(seed);
  let chosen = cases.map((_, i) => i);
  if (count !== 'all' && count < cases.length) {
    // A partial Fisher-Yates shuffle, then back to case order.
    const rng = prng(seed ^ 0x5eed);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(rng() * (chosen.length - i));
      [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
    }
    chosen = chosen.slice(0, count).sort((a, b) => a - b);
  }
  const lines = chosen.map((i) => JSON.stringify(withAnswers(cases[i], i)));
  process.stdout.write(lines.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------
// Judging our answers.

/** Every number the input can be said to be: libphonenumber-js's reading (min and max metadata)
 * and google-libphonenumber's. */
function readings(c) {
  const out = [];
  const js = adapter(c.input, c.country);
  if (js.number) out.push({ number: js.number, region: js.region });
  try {
    const m = max.parsePhoneNumberFromString(c.input, c.country || undefined);
    if (m) out.push({ number: m.number, region: m.country ?? null });
  } catch {
    // no reading
  }
  const g = googleReading(c.input, c.country);
  if (g) out.push({ number: g.number, region: g.region });
  return out;
}

/** Whether `output` (our answer in `mode`) is a valid number that is none of the input's
 * numbers: its readings and the example number it was written from. Returns the number it is,
 * or null. An answer that is the input unchanged is never wrong. An E.164 answer carries its
 * country (or is read in the default country). A national answer is read in the region of our
 * E.164 answer when that is a valid number, else in the default country. */
function wrongNumber(c, output, mode, reads) {
  if (output === c.input) return null;
  const known = new Set([...reads.map((r) => r.number), c.intended]);
  let region = c.country;
  if (mode === 'national' && c.ours.e164.startsWith('+')) {
    const ours = max.parsePhoneNumberFromString(c.ours.e164);
    if (ours?.isValid() && ours.country) region = ours.country;
  }
  if (mode === 'e164' && /^\+\d+$/.test(output)) {
    // Literally this E.164 number (parsing would strip a "national prefix" from a too-long one).
    const back = readBack(output, '');
    return back && back.valid && back.number === output && !known.has(output) ? output : null;
  }
  const back = readBack(output, mode === 'e164' && output.startsWith('+') ? '' : region);
  return back && back.valid && !known.has(back.number) ? back.number : null;
}

function verdict(c) {
  const expected = c.class === 'deviation' ? c.deviation : { national: c.national, e164: c.e164 };
  const reads = readings(c);
  return {
    id: c.id,
    class: c.class,
    style: c.style,
    country: c.country,
    national_agrees: c.ours.national === expected.national,
    e164_agrees: c.ours.e164 === expected.e164,
    // Where we agree with the adapter we are the reference, so a wrong number is only looked
    // for where we differ.
    national_wrong:
      c.ours.national === expected.national ? null : wrongNumber(c, c.ours.national, 'national', reads),
    e164_wrong: c.ours.e164 === expected.e164 ? null : wrongNumber(c, c.ours.e164, 'e164', reads),
  };
}

function pct(n, d) {
  return d ? `${((100 * n) / d).toFixed(2)}%` : '-';
}

/** The agreement table: all cases, then US and CA defaults, then by style. */
function summary(verdicts) {
  const groups = new Map();
  const add = (key, v) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { n: 0, nat: 0, e164: 0, wrong: 0 }));
    g.n++;
    g.nat += v.national_agrees;
    g.e164 += v.e164_agrees;
    g.wrong += (v.national_wrong ? 1 : 0) + (v.e164_wrong ? 1 : 0);
  };
  for (const v of verdicts) {
    if (v.class === 'deviation') {
      add(`deviation ${v.style}`, v);
      continue;
    }
    add('all', v);
    if (v.country === 'US' || v.country === 'CA') add('default US or CA', v);
    add(`default ${v.country || '(none)'}`.padEnd(16), v);
    add(`style ${v.style}`, v);
  }
  const keys = [...groups.keys()].filter((k) => !k.startsWith('default ') || k === 'default US or CA');
  const rows = ['group | cases | National | E.164 | wrong numbers'];
  for (const k of [...keys, 'default US', 'default CA', 'default GB', 'default RU', 'default (none)']) {
    const g = groups.get(k) ?? groups.get(k.padEnd(16));
    if (!g) continue;
    rows.push(`${k} | ${g.n} | ${pct(g.nat, g.n)} | ${pct(g.e164, g.n)} | ${g.wrong}`);
  }
  return rows.join('\n');
}

async function judge(withSummary) {
  const verdicts = [];
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  for await (const line of rl) {
    if (!line.trim()) continue;
    const v = verdict(JSON.parse(line));
    out.push(JSON.stringify(v));
    if (withSummary) verdicts.push(v);
  }
  if (withSummary) out.push(JSON.stringify({ summary: summary(verdicts) }));
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
}

// ---------------------------------------------------------------------------------------------

function flag(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

const main = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
const [command, ...args] = main ? process.argv.slice(2) : ['library'];
if (command === 'library') {
  // Imported, not run.
} else if (command === 'cases') {
  const seed = Number(flag(args, '--seed', '15'));
  const countArg = flag(args, '--count', '10000');
  emitCases(seed, countArg === 'all' ? 'all' : Number(countArg));
} else if (command === 'judge') {
  await judge(args.includes('--summary'));
} else if (command === 'one') {
  const [input, country = ''] = args;
  console.log(JSON.stringify({ adapter: adapter(input, country), google: googleReading(input, country) }));
} else {
  console.error('usage: node phone.mjs cases [--seed N] [--count N|all] | judge [--summary] | one <input> [country]');
  process.exit(2);
}
