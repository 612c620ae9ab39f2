// The XPath regex translation (regex.ts) on cases whose answers XML Schema and XPath 3.1 fix: what a pattern
// matches, what is an invalid pattern (null from the built-ins), and that exponential shapes are refused.
import { describe, expect, it } from 'vitest';
import { LimitError } from './errors.ts';
import { checkWork, replacementOf, xpathRegex } from './regex.ts';

const matches = (input: string, pattern: string, flags = ''): boolean | null => {
  const regex = xpathRegex(pattern, flags);
  return regex ? regex.re.test(input) : null;
};

describe('XPath regexes', () => {
  it('matches as XML Schema says: \\d is any Unicode digit, . excludes only \\n and \\r, \\w excludes P, Z and C', () => {
    expect(matches('٣', '^\\d$')).toBe(true); // ARABIC-INDIC DIGIT THREE
    expect(matches('\u2028', '^.$')).toBe(true);
    expect(matches('\r', '^.$')).toBe(false);
    expect(matches('\r', '^.$', 's')).toBe(true);
    expect(matches('é', '^\\w$')).toBe(true);
    expect(matches('-', '^\\w$')).toBe(false);
    expect(matches('a b', '^a\\sb$')).toBe(true);
    expect(matches('a\u00A0b', '^a\\sb$')).toBe(false); // XSD's \s is space, tab, CR, LF only
  });

  it('reads class subtraction, categories, blocks and the flags', () => {
    expect(matches('x', '^[a-z-[aeiou]]$')).toBe(true);
    expect(matches('e', '^[a-z-[aeiou]]$')).toBe(false);
    expect(matches('Ж', '^\\p{Lu}$')).toBe(true);
    expect(matches('hello', '^\\p{IsBasicLatin}+$')).toBe(true);
    expect(matches('héllo', '^\\p{IsBasicLatin}+$')).toBe(false);
    expect(matches('ABC', 'abc', 'i')).toBe(true);
    expect(matches('\u212A', 'k', 'i')).toBe(true); // KELVIN SIGN folds to k
    expect(matches('hello world', 'hello\\ sworld', 'x')).toBe(true);
    expect(matches('a[b]', 'a[b]', 'q')).toBe(true);
    expect(matches('ab', 'a[b]', 'q')).toBe(false);
    expect(matches('x\ny', '^y$', 'm')).toBe(true);
    expect(matches('x\ny', '^y$')).toBe(false);
    expect(matches('abab', '^(ab)\\1$')).toBe(true);
  });

  it('gives null for what XPath calls an invalid pattern or flag', () => {
    for (const bad of ['(?=a)', '\\b', 'a{,3}', '[0-9-.]', '(.)\\2', '\\3', '[\\1]', '\\p{IsNoSuchBlock}', '\\p{ IsBasicLatin}', '(a', 'a)', '*a', '\\k<x>']) {
      expect(xpathRegex(bad, ''), bad).toBeNull();
    }
    expect(xpathRegex('a', 'g')).toBeNull();
    expect(xpathRegex('a', ' ')).toBeNull();
    expect(xpathRegex('[a-]', '')).not.toBeNull();
    expect(xpathRegex('(?:ab)+', '')).not.toBeNull();
  });

  it('refuses the shapes that backtrack exponentially and keeps their harmless kin', () => {
    for (const hostile of ['(a+)+b', '(a*)*b', '(a|aa)+b', '(\\w+\\s?)*$', '((ab)*)+', '(a+){2,}']) {
      expect(xpathRegex(hostile, ''), hostile).toBeNull();
    }
    for (const fine of ['(ab)+', 'a+b+', '(a+)?b', '(a|b)c', '^(.*?)d(.*)$', '(\\d{3})(\\d{3})']) {
      expect(xpathRegex(fine, ''), fine).not.toBeNull();
    }
    // What stays allowed is polynomial, and held to MAX_REGEX_WORK: a long hostile input is a LimitError, a short
    // one answers at once.
    const regex = xpathRegex('a+a+b', '')!;
    expect(() => checkWork(regex, `${'a'.repeat(50_000)}c`)).toThrow(LimitError);
    const short = `${'a'.repeat(400)}c`;
    checkWork(regex, short);
    const started = Date.now();
    expect(regex.re.test(short)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('reads replacement strings as XPath does', () => {
    const r = replacementOf('[$1-$0]\\$\\\\', 1)!;
    expect(r('ab', ['a'])).toBe('[a-ab]$\\');
    expect(replacementOf('$', 1)).toBeNull();
    expect(replacementOf('\\n', 1)).toBeNull();
    // $12 with one group is group 1 followed by "2"
    expect(replacementOf('$12', 1)!('x', ['g'])).toBe('g2');
  });
});
