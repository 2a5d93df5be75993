// JavaScript's answers for ctiflow-runtime's conversions (flow-format.md §4, blocks.md).
//
// Reads one case per line on stdin, a JSON object {id, op, ...}, and writes one answer per line
// on stdout, {id, ...}, in the same order. No dependencies: this is the language itself.
//
// Doubles travel as the 16 hex digits of their IEEE 754 bits, so nothing is lost in transit;
// NaN is "nan" (JavaScript has a single NaN). A JSON value that is `undefined` is an absent key.
//
//   truthy   {v?}                  -> {r: !!v}
//   string   {v?}                  -> {r: String(v)}
//   number   {v?}                  -> {r: bits(Number(v))}
//   print    {x: bits}             -> {r: String(x)}
//   stringify {x: bits}            -> {r: JSON.stringify(x)}
//   compare  {a?, b?, cmp, as}     -> {r: boolean}          (SE_Decision)
//   keypath  {v?, path}            -> {r: "undefined" | "inherited" | "surrogate" | "value", v?}
//   parse    {text}                -> {r: bits | "error"}   (JSON.parse of a number's text)
//
// A conversion that throws a TypeError answers {r: "throws"}.

import { readFileSync } from 'node:fs';

const view = new DataView(new ArrayBuffer(8));

function toBits(x) {
  if (Number.isNaN(x)) return 'nan';
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

function fromBits(hex) {
  if (hex === 'nan') return NaN;
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

// If-else (SE_Decision): both operands converted per evaluateAs, then a strict comparison.
function decide(a, cmp, b, as) {
  const convert = { string: String, number: Number, boolean: (v) => !!v }[as];
  const x = convert(a);
  const y = convert(b);
  switch (cmp) {
    case '===': return x === y;
    case '!==': case '!=': return x !== y;
    case '>': return x > y;
    case '>=': case '≥': return x >= y;
    case '<': return x < y;
    case '<=': case '≤': return x <= y;
    default: throw new Error(`unknown comparator ${cmp}`);
  }
}

// Extract Value: the dotted path walked with JavaScript's property access, `undefined` once a
// step finds nothing. Also says whether a step read an inherited property (a prototype's method
// such as `toString`, or `__proto__` itself), which is not JSON and which the runtime does not
// model.
function keyPath(value, path) {
  let inherited = false;
  const result = path.split('.').reduce((o, k) => {
    if (o === undefined || o === null) return undefined;
    const boxed = Object(o);
    if (!Object.prototype.hasOwnProperty.call(boxed, k) && k in boxed) inherited = true;
    return o[k];
  }, value);
  if (inherited) return { r: 'inherited' };
  if (result === undefined) return { r: 'undefined' };
  if (typeof result === 'string' && /\p{Cs}/u.test(result)) {
    return { r: 'surrogate' };
  }
  return { r: 'value', v: result };
}

function answer(c) {
  switch (c.op) {
    case 'truthy': return !!c.v;
    case 'string': return String(c.v);
    case 'number': return toBits(Number(c.v));
    case 'print': return String(fromBits(c.x));
    case 'stringify': return JSON.stringify(fromBits(c.x));
    case 'compare': return decide(c.a, c.cmp, c.b, c.as);
    case 'parse':
      try {
        const x = JSON.parse(c.text);
        return typeof x === 'number' ? toBits(x) : 'error';
      } catch {
        return 'error';
      }
    default: throw new Error(`unknown op ${c.op}`);
  }
}

const out = [];
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (line === '') continue;
  const c = JSON.parse(line);
  let a;
  try {
    a = c.op === 'keypath' ? keyPath(c.v, c.path) : { r: answer(c) };
  } catch (e) {
    // String() and Number() throw a TypeError for an object whose own `toString` is not a
    // function (a JSON object with a "toString" key).
    if (!(e instanceof TypeError)) throw e;
    a = { r: 'throws' };
  }
  out.push(JSON.stringify({ id: c.id, ...a }));
}
process.stdout.write(out.join('\n') + '\n');
