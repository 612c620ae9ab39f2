// The FEEL built-in functions Beslis supports. Each returns null on arguments it cannot use, as FEEL does.
import { arithmetic } from './arithmetic.ts';
import {
  compare,
  Dec,
  equals,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  isNumber,
  parseDate,
  parseDateTime,
  parseDuration,
  parseTime,
  type FeelContext,
  type FeelValue,
} from './values.ts';

type Builtin = (args: FeelValue[]) => FeelValue;

/** Functions over a list also take their items as separate arguments: `sum(1, 2)` = `sum([1, 2])`. */
function listArg(args: FeelValue[]): FeelValue[] | null {
  if (args.length === 1 && Array.isArray(args[0])) return args[0];
  if (args.length === 1 && args[0] === null) return null;
  return args;
}

function numbers(args: FeelValue[]): (number | Dec)[] | null {
  const list = listArg(args);
  if (!list || !list.every(isNumber)) return null;
  return list as (number | Dec)[];
}

function str(v: FeelValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function int(v: FeelValue | undefined): number | null {
  if (!isNumber(v)) return null;
  const n = new Dec(v);
  return n.isInteger() ? n.toNumber() : null;
}

function extreme(args: FeelValue[], sign: 1 | -1): FeelValue {
  const list = listArg(args);
  if (!list || list.length === 0) return null;
  let best: FeelValue = list[0]!;
  for (const v of list.slice(1)) {
    const c = compare(v, best);
    if (c === null) return null;
    if (c * sign > 0) best = v;
  }
  return best;
}

function toString(v: FeelValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Dec) return v.toString();
  if (v instanceof FeelDate || v instanceof FeelTime || v instanceof FeelDateTime || v instanceof FeelDuration) return v.toString();
  return null;
}

const builtins: Record<string, Builtin> = {
  date(args) {
    if (args.length === 3) {
      const [y, m, d] = args.map(int);
      if (y === null || m === null || d === null || y === undefined || m === undefined || d === undefined) return null;
      return parseDate(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
    const a = args[0];
    if (a instanceof FeelDate) return a;
    if (a instanceof FeelDateTime) {
      const day = Math.floor(a.local / 86_400);
      const d = new Date(day * 86_400_000);
      return new FeelDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    }
    const s = str(a);
    return s === null ? null : parseDate(s);
  },
  time(args) {
    if (args.length >= 3) {
      const [h, m] = [int(args[0]), int(args[1])];
      const s = args[2];
      if (h === null || m === null || !isNumber(s)) return null;
      const offset = args[3] instanceof FeelDuration && args[3].kind === 'dayTime' ? args[3].amount : null;
      return new FeelTime(h * 3600 + m * 60 + new Dec(s).toNumber(), offset);
    }
    const a = args[0];
    if (a instanceof FeelTime) return a;
    if (a instanceof FeelDateTime) {
      const day = Math.floor(a.local / 86_400);
      return new FeelTime(a.local - day * 86_400, a.offset);
    }
    if (a instanceof FeelDate) return new FeelTime(0, 0);
    const s = str(a);
    return s === null ? null : parseTime(s);
  },
  'date and time'(args) {
    if (args.length === 2) {
      const [d, t] = args;
      if (!(t instanceof FeelTime)) return null;
      if (d instanceof FeelDate) return new FeelDateTime(d.day * 86_400 + t.seconds, t.offset);
      if (d instanceof FeelDateTime) return new FeelDateTime(Math.floor(d.local / 86_400) * 86_400 + t.seconds, t.offset);
      return null;
    }
    const a = args[0];
    if (a instanceof FeelDateTime) return a;
    if (a instanceof FeelDate) return new FeelDateTime(a.day * 86_400, null);
    const s = str(a);
    return s === null ? null : parseDateTime(s);
  },
  duration(args) {
    const s = str(args[0]);
    return s === null ? null : parseDuration(s);
  },
  'years and months duration'(args) {
    const [from, to] = args;
    const date = (v: FeelValue | undefined): FeelDate | null =>
      v instanceof FeelDate ? v : v instanceof FeelDateTime ? (builtins.date!([v]) as FeelDate) : null;
    const a = date(from);
    const b = date(to);
    if (!a || !b) return null;
    let months = (b.year - a.year) * 12 + (b.month - a.month);
    if (months > 0 && b.dayOfMonth < a.dayOfMonth) months--;
    if (months < 0 && b.dayOfMonth > a.dayOfMonth) months++;
    return new FeelDuration('yearMonth', months);
  },
  number(args) {
    const s = str(args[0]);
    if (s === null || !/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return null;
    return new Dec(s.trim());
  },
  string(args) {
    return toString(args[0] ?? null);
  },
  not(args) {
    return typeof args[0] === 'boolean' ? !args[0] : null;
  },
  count(args) {
    const list = listArg(args);
    return list ? list.length : null;
  },
  sum(args) {
    const list = numbers(args);
    if (!list) return null;
    return list.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0));
  },
  mean(args) {
    const list = numbers(args);
    if (!list || list.length === 0) return null;
    return list.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0)).div(list.length);
  },
  min: (args) => extreme(args, -1),
  max: (args) => extreme(args, 1),
  abs(args) {
    const v = args[0];
    if (isNumber(v)) return new Dec(v).abs();
    if (v instanceof FeelDuration) return new FeelDuration(v.kind, Math.abs(v.amount));
    return null;
  },
  floor: (args) => (isNumber(args[0]) ? new Dec(args[0]).floor() : null),
  ceiling: (args) => (isNumber(args[0]) ? new Dec(args[0]).ceil() : null),
  decimal(args) {
    const [n, scale] = [args[0], int(args[1])];
    if (!isNumber(n) || scale === null) return null;
    return new Dec(n).toDecimalPlaces(scale, Dec.ROUND_HALF_EVEN);
  },
  'round half up'(args) {
    const [n, scale] = [args[0], int(args[1] ?? 0)];
    if (!isNumber(n) || scale === null) return null;
    return new Dec(n).toDecimalPlaces(scale, Dec.ROUND_HALF_UP);
  },
  modulo(args) {
    const [a, b] = args;
    if (!isNumber(a) || !isNumber(b) || new Dec(b).isZero()) return null;
    const x = new Dec(a);
    const y = new Dec(b);
    return x.minus(y.times(x.div(y).floor()));
  },
  sqrt: (args) => (isNumber(args[0]) && new Dec(args[0]).gte(0) ? new Dec(args[0]).sqrt() : null),
  'string length': (args) => (typeof args[0] === 'string' ? [...args[0]].length : null),
  'upper case': (args) => (typeof args[0] === 'string' ? args[0].toUpperCase() : null),
  'lower case': (args) => (typeof args[0] === 'string' ? args[0].toLowerCase() : null),
  contains: (args) => (typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0].includes(args[1]) : null),
  'starts with': (args) => (typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0].startsWith(args[1]) : null),
  'ends with': (args) => (typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0].endsWith(args[1]) : null),
  substring(args) {
    const s = str(args[0]);
    const start = int(args[1]);
    const length = args[2] === undefined ? undefined : int(args[2]);
    if (s === null || start === null || length === null || start === 0) return null;
    const chars = [...s];
    const from = start > 0 ? start - 1 : chars.length + start;
    return chars.slice(from, length === undefined ? undefined : from + length).join('');
  },
  'list contains'(args) {
    const [list, item] = args;
    if (!Array.isArray(list)) return null;
    return list.some((v) => equals(v, item ?? null) === true);
  },
  append(args) {
    const [list, ...items] = args;
    return Array.isArray(list) ? [...list, ...items] : null;
  },
  concatenate(args) {
    return args.every(Array.isArray) ? (args as FeelValue[][]).flat(1) : null;
  },
  flatten(args) {
    const flat = (v: FeelValue): FeelValue[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
    return Array.isArray(args[0]) ? flat(args[0]) : null;
  },
  reverse: (args) => (Array.isArray(args[0]) ? [...args[0]].reverse() : null),
  'distinct values'(args) {
    if (!Array.isArray(args[0])) return null;
    const out: FeelValue[] = [];
    for (const v of args[0]) if (!out.some((o) => equals(o, v) === true)) out.push(v);
    return out;
  },
  'index of'(args) {
    const [list, item] = args;
    if (!Array.isArray(list)) return null;
    return list.flatMap((v, i) => (equals(v, item ?? null) === true ? [i + 1] : []));
  },
  all(args) {
    const list = listArg(args);
    if (!list || !list.every((v) => typeof v === 'boolean' || v === null)) return null;
    if (list.includes(false)) return false;
    return list.includes(null) ? null : true;
  },
  any(args) {
    const list = listArg(args);
    if (!list || !list.every((v) => typeof v === 'boolean' || v === null)) return null;
    if (list.includes(true)) return true;
    return list.includes(null) ? null : false;
  },
  'get value'(args) {
    const [ctx, key] = args;
    if (typeof key !== 'string' || ctx === null || typeof ctx !== 'object' || Array.isArray(ctx)) return null;
    return Object.hasOwn(ctx as FeelContext, key) ? (ctx as FeelContext)[key]! : null;
  },
};

/** Named parameters of the functions that accept them, in positional order. */
const PARAMETERS: Record<string, string[]> = {
  date: ['from'],
  time: ['from'],
  duration: ['from'],
  number: ['from'],
  string: ['from'],
  substring: ['string', 'start position', 'length'],
  decimal: ['n', 'scale'],
  'years and months duration': ['from', 'to'],
};

export function lookupBuiltin(name: string): Builtin | undefined {
  return Object.hasOwn(builtins, name) ? builtins[name] : undefined;
}

export function namedToPositional(name: string, named: [string, FeelValue][]): FeelValue[] | null {
  const params = PARAMETERS[name];
  if (!params) return null;
  const args: FeelValue[] = [];
  for (const [key, value] of named) {
    const i = params.indexOf(key);
    if (i < 0) return null;
    args[i] = value;
  }
  return Array.from(args, (v) => v ?? null);
}

export { arithmetic };
