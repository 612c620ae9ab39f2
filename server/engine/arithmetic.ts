// FEEL arithmetic: decimal-exact on numbers, plus the date, time and duration combinations policy needs.
import {
  dateFromDay,
  daysInMonth,
  Dec,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  isNumber,
  makeDate,
  makeDateTime,
  dateTimeAtInstant,
  makeDuration,
  type FeelValue,
} from './values.ts';
import { LimitError } from './errors.ts';
import { MAX_STRING_LENGTH } from './limits.ts';

export type ArithOp = '+' | '-' | '*' | '/' | '**';

/** The date `months` later (the day clipped to the month's last), or null beyond the representable years. */
function addMonths(date: FeelDate, months: number): FeelDate | null {
  const total = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return makeDate(year, month, Math.min(date.dayOfMonth, daysInMonth(year, month)));
}

function shift(v: FeelDate | FeelDateTime | FeelTime, d: FeelDuration, sign: 1 | -1): FeelValue {
  if (v instanceof FeelDate) {
    if (d.kind === 'yearMonth') return addMonths(v, sign * d.amount);
    return dateFromDay(Math.floor((v.day * 86_400 + sign * d.amount) / 86_400));
  }
  if (v instanceof FeelDateTime) {
    if (d.kind === 'dayTime') {
      // On the time line: in a zone, the offset after the move is the zone's at the new instant.
      const amount = sign * d.amount;
      const whole = Math.floor(amount);
      let nanos = v.nanos + Math.round((amount - whole) * 1e9);
      let carry = 0;
      if (nanos >= 1e9) [nanos, carry] = [nanos - 1e9, 1];
      return dateTimeAtInstant(v.key + whole + carry, nanos, v.offset, v.zone);
    }
    // On the calendar: the same wall-clock time, months later.
    const day = Math.floor(v.local / 86_400);
    const from = dateFromDay(day);
    const moved = from && addMonths(from, sign * d.amount);
    return moved ? makeDateTime(moved.day * 86_400 + v.secondOfDay, v.zone === null ? v.offset : null, v.nanos, v.zone) : null;
  }
  if (d.kind !== 'dayTime') return null;
  const seconds = (((v.seconds + sign * d.amount) % 86_400) + 86_400) % 86_400;
  return new FeelTime(seconds, v.offset, v.zone);
}

/**
 * `a - b` of dates and date-times (DMN 1.5 10.3.2.3.x, Table 57): a date counts as its midnight in UTC; a date-time
 * with an offset or zone and one without have no difference (null); otherwise the instants' difference.
 */
function difference(a: FeelDate | FeelDateTime, b: FeelDate | FeelDateTime): FeelValue {
  if (a instanceof FeelDate && b instanceof FeelDate) return makeDuration('dayTime', (a.day - b.day) * 86_400);
  const instant = (v: FeelDate | FeelDateTime) => (v instanceof FeelDate ? { key: v.day * 86_400, nanos: 0, zoned: true } : { key: v.key, nanos: v.nanos, zoned: v.offset !== null });
  const [x, y] = [instant(a), instant(b)];
  if (x.zoned !== y.zoned) return null;
  return makeDuration('dayTime', x.key - y.key + (x.nanos - y.nanos) / 1e9);
}

/** Applies a binary arithmetic operator; null where FEEL defines no result (mixed types, division by zero). */
export function arithmetic(op: ArithOp, a: FeelValue, b: FeelValue): FeelValue {
  if (a === null || b === null) return null;
  if (isNumber(a) && isNumber(b)) {
    const x = new Dec(a);
    switch (op) {
      case '+':
        return x.plus(b);
      case '-':
        return x.minus(b);
      case '*':
        return x.times(b);
      case '/':
        return new Dec(b).isZero() ? null : x.div(b);
      case '**':
        return x.pow(b);
    }
  }
  if (op === '+' && typeof a === 'string' && typeof b === 'string') {
    if (a.length + b.length > MAX_STRING_LENGTH) {
      throw new LimitError({ code: 'LIMIT_STRING_LENGTH', params: { length: a.length + b.length, limit: MAX_STRING_LENGTH } });
    }
    return a + b;
  }
  if (a instanceof FeelDuration && b instanceof FeelDuration) {
    if (a.kind !== b.kind) return null;
    if (op === '+') return makeDuration(a.kind, a.amount + b.amount);
    if (op === '-') return makeDuration(a.kind, a.amount - b.amount);
    if (op === '/') return b.amount === 0 ? null : new Dec(a.amount).div(b.amount);
    return null;
  }
  if (a instanceof FeelDuration && isNumber(b)) {
    if (op === '*') return makeDuration(a.kind, roundDuration(a, new Dec(a.amount).times(b).toNumber()));
    if (op === '/') return new Dec(b).isZero() ? null : makeDuration(a.kind, roundDuration(a, new Dec(a.amount).div(b).toNumber()));
    return null;
  }
  if (isNumber(a) && b instanceof FeelDuration && op === '*') return arithmetic('*', b, a);
  const temporal = a instanceof FeelDate || a instanceof FeelDateTime || a instanceof FeelTime;
  if (temporal && b instanceof FeelDuration && (op === '+' || op === '-')) return shift(a, b, op === '+' ? 1 : -1);
  if (a instanceof FeelDuration && (b instanceof FeelDate || b instanceof FeelDateTime || b instanceof FeelTime) && op === '+') {
    return shift(b, a, 1);
  }
  if (op === '-' && (a instanceof FeelDate || a instanceof FeelDateTime) && (b instanceof FeelDate || b instanceof FeelDateTime)) {
    return difference(a, b);
  }
  if (op === '-' && a instanceof FeelTime && b instanceof FeelTime) return new FeelDuration('dayTime', a.key - b.key);
  return null;
}

function roundDuration(d: FeelDuration, amount: number): number {
  return d.kind === 'yearMonth' ? Math.trunc(amount) : amount;
}

export function negate(v: FeelValue): FeelValue {
  if (typeof v === 'number') return -v;
  if (v instanceof Dec) return v.neg();
  if (v instanceof FeelDuration) return new FeelDuration(v.kind, -v.amount);
  return null;
}
