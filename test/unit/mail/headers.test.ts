import { describe, expect, it } from 'vitest';
import { angleIds, baseAddress, hasHeader, headerValues, keyword, splitAddress, stripComments } from '../../../shared/domain/mail/headers';
import { inbound } from './support';

describe('header readers', () => {
  const mail = inbound({ headers: { 'x-loop': ['a', 'b'] } });

  it('reads every value, by name in any case', () => {
    expect(headerValues(mail, 'X-Loop')).toEqual(['a', 'b']);
    expect(headerValues(mail, 'list-id')).toEqual([]);
    expect(hasHeader(mail, 'X-LOOP')).toBe(true);
    expect(hasHeader(mail, 'list-id')).toBe(false);
  });

  it.each([
    ['auto-replied (vacation)', 'auto-replied'],
    ['a (nested (comment)) b', 'a b'],
    ['"quoted (not a comment)" x', '"quoted (not a comment)" x'],
    ['  spaced\t\tout  ', 'spaced out'],
    ['escaped \\( paren', 'escaped \\( paren'],
  ])('stripComments(%j) = %j', (input, out) => {
    expect(stripComments(input)).toBe(out);
  });

  it.each([
    ['  AUTO-REPLIED; owner-email="x@y"', 'auto-replied'],
    ['(comment) bulk', 'bulk'],
    ['', ''],
  ])('keyword(%j) = %j', (input, out) => {
    expect(keyword(input)).toBe(out);
  });

  it('splits and normalises addresses', () => {
    expect(splitAddress(' Bob@Example.COM ')).toEqual({ local: 'bob', domain: 'example.com' });
    expect(splitAddress('no-at-sign')).toBeNull();
    expect(splitAddress('@example.com')).toBeNull();
    expect(splitAddress('bob@')).toBeNull();
    expect(baseAddress('Support+CAS-1@Example.com')).toBe('support@example.com');
    expect(baseAddress('support@example.com')).toBe('support@example.com');
    expect(baseAddress('+x@example.com')).toBe('+x@example.com');
  });

  it('finds bracketed ids', () => {
    expect(angleIds('<a@b> <c@d>\t<e@f>')).toEqual(['a@b', 'c@d', 'e@f']);
    expect(angleIds('bare@id')).toEqual([]);
    expect(angleIds('<with space@x> <ok@y>')).toEqual(['ok@y']);
  });
});
