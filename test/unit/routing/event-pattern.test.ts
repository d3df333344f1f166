import fc from 'fast-check';
import {
  compileEventPattern,
  matchesEventPattern,
  validateEventPattern,
  type EventPattern,
} from '../../../shared/routing/event-pattern';
import { parseCidr, parseIpAddress } from '../../../shared/routing/event-pattern-ip';
import { parseWildcard, wildcardComplexity } from '../../../shared/routing/event-pattern-wildcard';

const matches = (pattern: EventPattern, event: unknown): boolean => {
  expect(validateEventPattern(pattern)).toBeUndefined();
  return matchesEventPattern(pattern, event);
};
/** A pattern on one field of `detail`, tried on a `detail` holding `value` (or nothing). */
const field = (...values: unknown[]): EventPattern => ({ detail: { f: values } });
const withF = (value: unknown): unknown => ({ detail: { f: value } });
const withoutF = { detail: { other: 1 } };

describe('exact values', () => {
  test('strings, numbers, booleans and null match only values of the same JSON type', () => {
    expect(matches(field('5'), withF('5'))).toBe(true);
    expect(matches(field('5'), withF(5))).toBe(false);
    expect(matches(field(5), withF('5'))).toBe(false);
    expect(matches(field(true), withF('true'))).toBe(false);
    expect(matches(field(null), withF('null'))).toBe(false);
    expect(matches(field(null), withF(null))).toBe(true);
    expect(matches(field(false), withF(false))).toBe(true);
  });

  test('numbers compare by value, so 5 and 5.0 are alike', () => {
    expect(matches(JSON.parse('{"n": [5.0]}') as EventPattern, JSON.parse('{"n": 5}'))).toBe(true);
    expect(matches({ n: [300] }, JSON.parse('{"n": 3.0e2}'))).toBe(true);
    expect(matches({ n: [0] }, { n: -0 })).toBe(true);
  });

  test('null, missing and the empty string are three different things', () => {
    expect(matches(field(''), withF(''))).toBe(true);
    expect(matches(field(''), withF(null))).toBe(false);
    expect(matches(field(null), withF(''))).toBe(false);
    expect(matches(field(null), withoutF)).toBe(false);
    expect(matches(field(''), withoutF)).toBe(false);
  });

  test('an array in the event matches when any element does; an empty array holds nothing', () => {
    expect(matches(field('b', 'z'), withF(['a', 'b']))).toBe(true);
    expect(matches(field('z'), withF(['a', 'b']))).toBe(false);
    expect(matches(field('b'), withF([['a'], [['b']]]))).toBe(true);
    expect(matches(field(null), withF([]))).toBe(false);
  });

  test('an exact IP address also matches other spellings of the same address', () => {
    expect(matches(field('2001:db8::1'), withF('2001:0db8:0000:0000:0000:0000:0000:0001'))).toBe(true);
    expect(matches(field('10.0.0.1'), withF('10.0.0.2'))).toBe(false);
  });

  test('objects in the event are not values', () => {
    expect(matches(field('x'), withF({ g: 'x' }))).toBe(false);
    expect(matches({ detail: [{ exists: true }] }, { detail: { a: 1 } })).toBe(false);
  });
});

describe('nesting, dotted keys and arrays of objects', () => {
  test('a dotted key means the same as nesting, in the pattern and in the event', () => {
    const event = { detail: { state: { status: 'running' } } };
    expect(matches({ 'detail.state.status': ['running'] }, event)).toBe(true);
    expect(matches({ detail: { state: { status: ['running'] } } }, { 'detail.state': { status: 'running' } })).toBe(true);
    expect(matches({ detail: { 'state.status': ['stopped'] } }, event)).toBe(false);
  });

  test('keys are case-sensitive and a JSON string is not parsed', () => {
    expect(matches({ Detail: { a: [1] } }, { detail: { a: 1 } })).toBe(false);
    expect(matches({ detail: { a: [1] } }, { detail: '{"a": 1}' })).toBe(false);
  });

  test('fields inside an array of objects must come from the same element', () => {
    const event = { employees: [{ first: 'John', last: 'Doe' }, { first: 'Anna', last: 'Smith' }] };
    expect(matches({ employees: { first: ['Anna'], last: ['Smith'] } }, event)).toBe(true);
    expect(matches({ employees: { first: ['Anna'], last: ['Doe'] } }, event)).toBe(false);
    expect(matches({ employees: { first: ['Anna'] } }, event)).toBe(true);
  });

  test('nested arrays keep consistency at every level', () => {
    const event = { groups: [{ members: [{ id: 1, role: 'a' }, { id: 2, role: 'b' }] }, { members: [{ id: 3, role: 'c' }] }] };
    expect(matches({ groups: { members: { id: [2], role: ['b'] } } }, event)).toBe(true);
    expect(matches({ groups: { members: { id: [2], role: ['c'] } } }, event)).toBe(false);
  });

  test('a field repeated through a dotted key keeps its last definition, as in event-ruler', () => {
    const pattern = { 'detail.f': ['a'], detail: { f: ['b'] } };
    expect(matches(pattern, withF('b'))).toBe(true);
    expect(matches(pattern, withF('a'))).toBe(false);
  });
});

describe('prefix and suffix', () => {
  test('prefix and suffix match strings only, and the empty operand matches any string', () => {
    expect(matches(field({ prefix: 'us-' }), withF('us-east-1'))).toBe(true);
    expect(matches(field({ prefix: 'us-' }), withF('eu-west-1'))).toBe(false);
    expect(matches(field({ prefix: '1' }), withF(12))).toBe(false);
    expect(matches(field({ suffix: '.png' }), withF('a.png'))).toBe(true);
    expect(matches(field({ suffix: '.PNG' }), withF('a.png'))).toBe(false);
    expect(matches(field({ prefix: '' }), withF(''))).toBe(true);
    expect(matches(field({ suffix: '' }), withF(null))).toBe(false);
  });

  test('the equals-ignore-case forms ignore case', () => {
    expect(matches(field({ prefix: { 'equals-ignore-case': 'EventB' } }), withF('eVeNtBridge'))).toBe(true);
    expect(matches(field({ suffix: { 'equals-ignore-case': '.png' } }), withF('IMAGE.PNG'))).toBe(true);
    expect(matches(field({ suffix: { 'equals-ignore-case': '.png' } }), withF('image.jpg'))).toBe(false);
  });

  test('operands must be strings, or the single equals-ignore-case object', () => {
    expect(validateEventPattern(field({ prefix: 1 }))).toMatch(/^detail\.f: prefix must be a string/);
    expect(validateEventPattern(field({ suffix: ['a'] }))).toMatch(/^detail\.f: suffix must be a string/);
    expect(validateEventPattern(field({ prefix: { wildcard: 'a' } }))).toMatch(/prefix supports only \{"equals-ignore-case": string\}/);
    expect(validateEventPattern(field({ prefix: { 'equals-ignore-case': 1 } }))).toMatch(/must be a string/);
  });
});

describe('equals-ignore-case', () => {
  test('compares each character with its lower- and upper-case forms', () => {
    expect(matches(field({ 'equals-ignore-case': 'alice' }), withF('ALICE'))).toBe(true);
    expect(matches(field({ 'equals-ignore-case': 'alice' }), withF('alicia'))).toBe(false);
    expect(matches(field({ 'equals-ignore-case': 'straße' }), withF('STRASSE'))).toBe(true);
    expect(matches(field({ 'equals-ignore-case': 'a.c' }), withF('abc'))).toBe(false);
    expect(matches(field({ 'equals-ignore-case': '' }), withF(''))).toBe(true);
    expect(matches(field({ 'equals-ignore-case': '1' }), withF(1))).toBe(false);
  });

  test('takes a single string', () => {
    expect(validateEventPattern(field({ 'equals-ignore-case': ['a'] }))).toBe('detail.f: equals-ignore-case must be a string, not an array');
  });
});

describe('wildcard', () => {
  test('* matches any run of characters, including none', () => {
    expect(matches(field({ wildcard: 'dir/*.png' }), withF('dir/a/b.png'))).toBe(true);
    expect(matches(field({ wildcard: 'dir/*.png' }), withF('dir/.png'))).toBe(true);
    expect(matches(field({ wildcard: 'dir/*.png' }), withF('other/a.png'))).toBe(false);
    expect(matches(field({ wildcard: '*' }), withF(''))).toBe(true);
    expect(matches(field({ wildcard: '*' }), withF(1))).toBe(false);
    expect(matches(field({ wildcard: '' }), withF(''))).toBe(true);
    expect(matches(field({ wildcard: '' }), withF('a'))).toBe(false);
    expect(matches(field({ wildcard: 'a*a' }), withF('a'))).toBe(false);
  });

  test('a backslash escapes * and itself', () => {
    expect(parseWildcard('a\\*b*c\\\\')).toEqual(['a*b', 'c\\']);
    expect(matches(field({ wildcard: 'a\\*' }), withF('a*'))).toBe(true);
    expect(matches(field({ wildcard: 'a\\*' }), withF('ab'))).toBe(false);
    expect(validateEventPattern(field({ wildcard: 'a\\b' }))).toMatch(/^detail\.f: wildcard "a\\b": invalid escape at index 1/);
    expect(validateEventPattern(field({ wildcard: 'a\\' }))).toMatch(/invalid escape/);
  });

  test('consecutive wildcards are refused', () => {
    expect(validateEventPattern(field({ wildcard: 'a**b' }))).toBe('detail.f: wildcard "a**b": consecutive wildcard characters at index 1');
  });

  test('complexity is event-ruler\'s count of wildcard prefixes one value can match', () => {
    // Figures from event-ruler's MachineComplexityEvaluatorTest (unquoted values).
    expect(wildcardComplexity(['a*b*bb'], 100, false)).toBe(5);
    expect(wildcardComplexity(['a*aaa', 'aa*aa'], 100, false)).toBe(7);
    expect(wildcardComplexity(['ab*cd', 'ab*wx', 'ab*yz'], 100, false)).toBe(6);
    expect(wildcardComplexity(['*a*a*a*a*a*a*a*a*'], 100, false)).toBe(17);
    expect(wildcardComplexity(['a*b', 'a*b'], 100, false)).toBe(2);
    // As EventBridge stores them, between JSON quotes.
    expect(wildcardComplexity(['/Users/*/dir/dir/dir/dir/dir/doc.txt'])).toBe(7);
    expect(wildcardComplexity(['*:*:*:*:*:event-bus/*'])).toBeGreaterThan(10);
  });

  test('too complex a field is refused, counting all wildcards of the field together', () => {
    expect(validateEventPattern(field({ wildcard: '*a*a*a*a*a*' }))).toMatch(/^detail\.f: rule is too complex/);
    expect(validateEventPattern(field({ wildcard: '*/a/*' }, { wildcard: '*/b/*' }))).toBeUndefined();
    const many = ['*/a/*', '*/b/*', '*/c/*', '*/d/*'].map((wildcard) => ({ wildcard }));
    expect(validateEventPattern(field(...many))).toMatch(/too complex/);
  });
});

describe('anything-but', () => {
  test('matches any present value that is not excluded, null included, but not a missing field', () => {
    expect(matches(field({ 'anything-but': 'a' }), withF('b'))).toBe(true);
    expect(matches(field({ 'anything-but': 'a' }), withF('a'))).toBe(false);
    expect(matches(field({ 'anything-but': 'a' }), withF(null))).toBe(true);
    expect(matches(field({ 'anything-but': 'a' }), withoutF)).toBe(false);
    expect(matches(field({ 'anything-but': '5' }), withF(5))).toBe(true);
    expect(matches(field({ 'anything-but': 5 }), withF('5'))).toBe(true);
    expect(matches(field({ 'anything-but': [1, 2] }), withF(2))).toBe(false);
    expect(matches(field({ 'anything-but': ['x', 'y'] }), withF('z'))).toBe(true);
  });

  test('with an array in the event, it matches when any element is not excluded', () => {
    expect(matches(field({ 'anything-but': 'a' }), withF(['a', 'b']))).toBe(true);
    expect(matches(field({ 'anything-but': 'a' }), withF(['a', 'a']))).toBe(false);
  });

  test('the prefix, suffix, equals-ignore-case and wildcard forms exclude strings only', () => {
    expect(matches(field({ 'anything-but': { prefix: 'init' } }), withF('initial'))).toBe(false);
    expect(matches(field({ 'anything-but': { prefix: ['a', 'b'] } }), withF('bc'))).toBe(false);
    expect(matches(field({ 'anything-but': { prefix: 'init' } }), withF(12))).toBe(true);
    expect(matches(field({ 'anything-but': { suffix: '.txt' } }), withF('a.txt.bak'))).toBe(true);
    expect(matches(field({ 'anything-but': { 'equals-ignore-case': ['A', 'b'] } }), withF('B'))).toBe(false);
    expect(matches(field({ 'anything-but': { wildcard: '*/lib/*' } }), withF('src/lib/x'))).toBe(false);
    expect(matches(field({ 'anything-but': { wildcard: '' } }), withF('x'))).toBe(true);
    expect(matches(field({ 'anything-but': { wildcard: '*' } }), withF(true))).toBe(true);
  });

  test('validation', () => {
    expect(validateEventPattern(field({ 'anything-but': null }))).toMatch(/^detail\.f: anything-but takes a string, a number/);
    expect(validateEventPattern(field({ 'anything-but': true }))).toMatch(/anything-but takes/);
    expect(validateEventPattern(field({ 'anything-but': ['a', 1] }))).toBe(
      'detail.f: an anything-but list must be non-empty and all strings or all numbers',
    );
    expect(validateEventPattern(field({ 'anything-but': [] }))).toMatch(/non-empty/);
    expect(validateEventPattern(field({ 'anything-but': { prefix: '' } }))).toBe('detail.f: anything-but/prefix must not be empty');
    expect(validateEventPattern(field({ 'anything-but': { suffix: ['a', ''] } }))).toMatch(/must not be empty/);
    expect(validateEventPattern(field({ 'anything-but': { prefix: { 'equals-ignore-case': 'a' } } }))).toMatch(
      /anything-but\/prefix takes a string or a list of strings/,
    );
    expect(validateEventPattern(field({ 'anything-but': { numeric: ['>', 1] } }))).toMatch(/anything-but does not support "numeric"/);
    expect(validateEventPattern(field({ 'anything-but': { prefix: 'a', suffix: 'b' } }))).toMatch(/exactly one operator/);
    expect(validateEventPattern(field({ 'anything-but': { wildcard: ['a**'] } }))).toMatch(/consecutive wildcard/);
    expect(validateEventPattern(field({ 'anything-but': 6e9 }))).toMatch(/between -5e9 and 5e9/);
    expect(validateEventPattern(field({ 'anything-but': { wildcard: '' } }))).toBeUndefined();
    expect(validateEventPattern(field({ 'anything-but': { 'equals-ignore-case': '' } }))).toBeUndefined();
  });
});

describe('numeric', () => {
  test('compares numbers only, with every operator', () => {
    expect(matches(field({ numeric: ['=', 5] }), withF(5.0))).toBe(true);
    expect(matches(field({ numeric: ['<', 5] }), withF(5))).toBe(false);
    expect(matches(field({ numeric: ['<=', 5] }), withF(5))).toBe(true);
    expect(matches(field({ numeric: ['>', 5] }), withF(5))).toBe(false);
    expect(matches(field({ numeric: ['>=', 5] }), withF(5))).toBe(true);
    expect(matches(field({ numeric: ['>', 0, '<=', 5] }), withF(5))).toBe(true);
    expect(matches(field({ numeric: ['>', 0, '<', 5] }), withF(5))).toBe(false);
    expect(matches(field({ numeric: ['>=', 0, '<', 5] }), withF(0))).toBe(true);
    expect(matches(field({ numeric: ['>', 0] }), withF('3'))).toBe(false);
    expect(matches(field({ numeric: ['>', 0] }), withF(null))).toBe(false);
    expect(matches(field({ numeric: ['>', 0] }), withF(true))).toBe(false);
  });

  test('event numbers beyond ±5e9 are outside what EventBridge compares', () => {
    expect(matches(field({ numeric: ['>', 0] }), withF(5e9))).toBe(true);
    expect(matches(field({ numeric: ['>', 0] }), withF(5e9 + 1))).toBe(false);
    expect(matches(field({ numeric: ['<', 0] }), withF(-6e9))).toBe(false);
  });

  test('validation names the broken part of the expression', () => {
    const check = (operand: unknown): string | undefined => validateEventPattern({ detail: { score: [{ numeric: operand }] } });
    expect(check(['>', 10, '<', 5])).toBe('detail.score: numeric range needs a lower bound below the upper bound');
    expect(check(['>=', 5, '<=', 5])).toBe('detail.score: numeric range needs a lower bound below the upper bound');
    expect(check(5)).toMatch(/numeric must be a non-empty array/);
    expect(check([])).toMatch(/numeric must be a non-empty array/);
    expect(check(['==', 5])).toMatch(/must start with one of =, <, <=, >, >=/);
    expect(check([5, '>'])).toMatch(/must start with one of/);
    expect(check(['>', '5'])).toBe('detail.score: numeric ">" must be followed by a number');
    expect(check(['>'])).toMatch(/must be followed by a number/);
    expect(check(['<', 5, '>', 1])).toMatch(/only ">" or ">=" can open a range/);
    expect(check(['=', 5, '<', 6])).toMatch(/only ">" or ">=" can open a range/);
    expect(check(['>', 0, '>', 5])).toMatch(/must close with "<" or "<="/);
    expect(check(['>', 0, '<', 5, '<', 6])).toMatch(/at most two comparisons/);
    expect(check(['<', 5e9 + 1])).toMatch(/between -5e9 and 5e9/);
    expect(check(['>', 0, '<=', 5e9])).toBeUndefined();
  });
});

describe('exists', () => {
  test('true needs a value at the path (null counts, an object or an empty array does not)', () => {
    expect(matches(field({ exists: true }), withF(null))).toBe(true);
    expect(matches(field({ exists: true }), withF(''))).toBe(true);
    expect(matches(field({ exists: true }), withF([]))).toBe(false);
    expect(matches(field({ exists: true }), withF({ g: 1 }))).toBe(false);
    expect(matches(field({ exists: true }), withoutF)).toBe(false);
  });

  test('false needs no value at the path', () => {
    expect(matches(field({ exists: false }), withoutF)).toBe(true);
    expect(matches(field({ exists: false }), {})).toBe(true);
    expect(matches(field({ exists: false }), withF([]))).toBe(true);
    expect(matches(field({ exists: false }), withF({ g: 1 }))).toBe(true);
    expect(matches(field({ exists: false }), withF(null))).toBe(false);
  });

  test('alongside other alternatives it is one more way to match', () => {
    const pattern = field({ 'anything-but': ['roses'] }, { exists: false });
    expect(matches(pattern, withoutF)).toBe(true);
    expect(matches(pattern, withF('tulips'))).toBe(true);
    expect(matches(pattern, withF('roses'))).toBe(false);
  });

  test('false inside an array of objects looks at the elements chosen for fields sorted before it', () => {
    // event-ruler walks a rule's fields in name order: "note" comes after "kind", so it is checked
    // in the element where kind is "b"; "flag" comes first and sees the flag of items[0].
    const event = { items: [{ kind: 'a', flag: 1, note: 'x' }, { kind: 'b' }] };
    expect(matches({ items: { kind: ['b'], note: [{ exists: false }] } }, event)).toBe(true);
    expect(matches({ items: { kind: ['b'], flag: [{ exists: false }] } }, event)).toBe(false);
    expect(matches({ items: { kind: ['a'], note: [{ exists: false }] } }, event)).toBe(false);
  });

  test('takes a boolean', () => {
    expect(validateEventPattern(field({ exists: 'true' }))).toBe('detail.f: exists must be true or false');
  });
});

describe('cidr', () => {
  test('matches IPv4 and IPv6 addresses in the range, strings only', () => {
    expect(matches(field({ cidr: '10.0.0.0/24' }), withF('10.0.0.255'))).toBe(true);
    expect(matches(field({ cidr: '10.0.0.0/24' }), withF('10.0.1.0'))).toBe(false);
    expect(matches(field({ cidr: '10.0.0.0/24' }), withF('10.0.0.256'))).toBe(false);
    expect(matches(field({ cidr: '10.0.0.0/24' }), withF('not an ip'))).toBe(false);
    expect(matches(field({ cidr: '0.0.0.0/0' }), withF(167772160))).toBe(false);
    expect(matches(field({ cidr: '2001:db8::/32' }), withF('2001:DB8:ffff::1'))).toBe(true);
    expect(matches(field({ cidr: '2001:db8::/32' }), withF('2001:db9::1'))).toBe(false);
    expect(matches(field({ cidr: '2001:db8::/32' }), withF('10.0.0.1'))).toBe(false);
    expect(matches(field({ cidr: '10.0.0.0/8' }), withF('::ffff:a00:1'))).toBe(true);
  });

  test('the range starts at the address as written, as event-ruler builds it', () => {
    expect(matches(field({ cidr: '10.0.0.128/24' }), withF('10.0.0.200'))).toBe(true);
    expect(matches(field({ cidr: '10.0.0.128/24' }), withF('10.0.0.1'))).toBe(false);
  });

  test('parses addresses and ranges like event-ruler', () => {
    expect(parseIpAddress('::')).toEqual(new Uint8Array(16));
    expect(parseIpAddress('1:2:3:4:5:6:7:8')).toHaveLength(16);
    expect(parseIpAddress('1:2:3:4:5:6:7')).toBeUndefined();
    expect(parseIpAddress('1::2::3')).toBeUndefined();
    expect(parseIpAddress('1:2:3:4::5:6:7:8')).toBeUndefined();
    expect(parseIpAddress('::1.2.3.4')).toBeUndefined();
    expect(parseIpAddress('12345::')).toBeUndefined();
    expect(parseIpAddress('256.0.0.1')).toBeUndefined();
    expect(parseIpAddress('010.0.0.1')).toEqual(new Uint8Array([10, 0, 0, 1]));
    expect(parseCidr('10.0.0.0/24/')).toEqual({ lower: new Uint8Array([10, 0, 0, 0]), upper: new Uint8Array([10, 0, 0, 255]) });
  });

  test('validation', () => {
    const check = (cidr: unknown): string | undefined => validateEventPattern({ ip: [{ cidr }] });
    expect(check('10.0.0.0')).toBe('ip: malformed CIDR "10.0.0.0": exactly one "/" is required');
    expect(check('10.0.0.0/x')).toMatch(/mask bits must be an integer/);
    expect(check('10.0.0.0/-1')).toMatch(/must not be negative/);
    expect(check('10.0.0.0/32')).toMatch(/IPv4 mask bits must be below 32/);
    expect(check('::/128')).toMatch(/IPv6 mask bits must be below 128/);
    expect(check('::/127')).toBeUndefined();
    expect(check('host.example/8')).toMatch(/is not an IPv4 or IPv6 address/);
    expect(check(['10.0.0.0/8'])).toMatch(/cidr must be a string/);
  });
});

describe('$or', () => {
  test('matches when any alternative does, combined with the other fields', () => {
    const pattern = { source: ['app'], detail: { $or: [{ a: [1] }, { b: [2], c: [3] }] } };
    expect(matches(pattern, { source: 'app', detail: { a: 1 } })).toBe(true);
    expect(matches(pattern, { source: 'app', detail: { b: 2, c: 3 } })).toBe(true);
    expect(matches(pattern, { source: 'app', detail: { b: 2 } })).toBe(false);
    expect(matches(pattern, { source: 'other', detail: { a: 1 } })).toBe(false);
  });

  test('nested and parallel $or multiply out', () => {
    const pattern = {
      $or: [{ a: [1] }, { b: [1], $or: [{ c: [1] }, { d: [1] }] }],
      e: { $or: [{ f: [1] }, { g: [1] }] },
    };
    expect(matches(pattern, { b: 1, d: 1, e: { g: 1 } })).toBe(true);
    expect(matches(pattern, { b: 1, e: { g: 1 } })).toBe(false);
    expect(matches(pattern, { a: 1, e: {} })).toBe(false);
  });

  test('validation', () => {
    expect(validateEventPattern({ $or: [{ a: [1] }] })).toBe('$or: must be an array of at least 2 objects');
    expect(validateEventPattern({ detail: { $or: { a: [1] } } })).toBe('detail.$or: must be an array of at least 2 objects');
    expect(validateEventPattern({ $or: [{ a: [1] }, ['b']] })).toBe('$or[1]: each $or alternative must be an object');
    expect(validateEventPattern({ $or: [{ a: [1] }, {}] })).toBe('$or[1]: empty objects are not allowed');
    expect(validateEventPattern({ $or: [{ a: [1] }, { prefix: ['x'] }] })).toBe(
      '$or[1].prefix: "prefix" is reserved and cannot be a field name inside $or',
    );
    expect(validateEventPattern({ $or: [{ a: [1] }, { b: [{ numeric: ['>', 'x'] }] }] })).toMatch(/^\$or\[1\]\.b: numeric/);
    expect(validateEventPattern({ prefix: ['x'] })).toBeUndefined();
  });
});

describe('structure validation', () => {
  test.each([
    [null, '(root): an event pattern must be a JSON object'],
    [[], '(root): an event pattern must be a JSON object'],
    [{}, '(root): empty objects are not allowed'],
    [{ detail: {} }, 'detail: empty objects are not allowed'],
    [{ a: 'x' }, 'a: must be an object or an array of match values'],
    [{ a: [] }, 'a: empty arrays are not allowed'],
    [{ a: [['x']] }, 'a: match values must be strings, numbers, true, false, null or {operator: operand} objects (item 0 is an array)'],
    [{ a: [{}] }, 'a: a match expression takes exactly one operator, found none'],
    [{ a: [{ prefix: 'x', suffix: 'y' }] }, 'a: a match expression takes exactly one operator, found "prefix", "suffix"'],
    [{ a: [{ Prefix: 'x' }] }, expect.stringMatching(/^a: unrecognized operator "Prefix"/)],
    [{ a: [Number.NaN] }, 'a: match value NaN is not a finite number'],
    [{ a: [undefined] }, expect.stringMatching(/item 0 is undefined/)],
  ])('%j is refused', (pattern, message) => {
    expect(validateEventPattern(pattern)).toEqual(message);
  });

  test('compileEventPattern refuses an invalid pattern with the same message', () => {
    expect(() => compileEventPattern({ a: [] })).toThrow('a: empty arrays are not allowed');
  });
});

describe('robustness', () => {
  const pattern = { detail: { a: [{ exists: false }], b: { c: [{ prefix: '' }] } } };

  test('non-object events never match; odd objects never throw', () => {
    const match = compileEventPattern(pattern);
    for (const event of [null, undefined, 'x', 1, [], [{ detail: { b: { c: 'x' } } }]]) expect(match(event)).toBe(false);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(match({ detail: { b: { c: cyclic } } })).toBe(false);
    const throwing = { detail: { get b(): unknown { throw new Error('boom'); } } };
    expect(match(throwing)).toBe(false);
    expect(match({ detail: { b: { c: 'x', d: () => 1 } } })).toBe(true);
  });

  test('the matcher never throws and agrees with matchesEventPattern', () => {
    const match = compileEventPattern(pattern);
    fc.assert(
      fc.property(fc.anything(), (event) => {
        expect(match(event)).toBe(matchesEventPattern(pattern, event));
      }),
    );
  });

  test('validation never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (candidate) => {
        const result = validateEventPattern(candidate);
        expect(result === undefined || typeof result === 'string').toBe(true);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const key = fc.string({ maxLength: 6 }).filter((k) => k !== '$or');
const scalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const { json: jsonObject } = fc.letrec((tie) => ({
  json: fc.dictionary(key, fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('json')), { maxKeys: 4 }),
  array: fc.array(fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('json')), { maxLength: 3 }),
}));

type Leafish = { kind: 'value'; value: unknown } | { kind: 'object'; pattern: EventPattern };

/** A pattern asking for values the event has: its first scalar at each path, same array element. */
function patternFrom(value: unknown): Leafish | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = patternFrom(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const pattern: EventPattern = {};
    for (const [k, v] of Object.entries(value)) {
      const found = patternFrom(v);
      if (found !== undefined) pattern[k] = found.kind === 'value' ? [found.value] : found.pattern;
    }
    return Object.keys(pattern).length === 0 ? undefined : { kind: 'object', pattern };
  }
  return { kind: 'value', value };
}

describe('properties', () => {
  test('a pattern built from an event\'s own values always matches it', () => {
    fc.assert(
      fc.property(jsonObject, (event) => {
        const built = patternFrom(event);
        fc.pre(built?.kind === 'object');
        const pattern = (built as { pattern: EventPattern }).pattern;
        expect(validateEventPattern(pattern)).toBeUndefined();
        expect(matchesEventPattern(pattern, event)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('anything-but of a value never matches that value, and matches any other', () => {
    const excludable = fc.oneof(fc.string(), fc.integer({ min: -5e9, max: 5e9 }), fc.double({ min: -5e9, max: 5e9, noNaN: true }));
    fc.assert(
      fc.property(excludable, scalar, (excluded, other) => {
        const pattern = field({ 'anything-but': excluded });
        expect(matchesEventPattern(pattern, withF(excluded))).toBe(false);
        expect(matchesEventPattern(pattern, withF(other))).toBe(!Object.is(other, excluded) && other !== excluded);
        expect(matchesEventPattern(field({ 'anything-but': [excluded] }), withF([excluded, excluded]))).toBe(false);
      }),
    );
  });

  test('a value never matches anything-but of its own prefix, suffix or wildcard form', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (head, tail) => {
        const value = head + tail;
        expect(matchesEventPattern(field({ 'anything-but': { prefix: head } }), withF(value))).toBe(false);
        expect(matchesEventPattern(field({ 'anything-but': { suffix: value } }), withF(value))).toBe(false);
        expect(matchesEventPattern(field({ 'anything-but': { wildcard: '*' } }), withF(value))).toBe(false);
        expect(matchesEventPattern(field({ prefix: head }), withF(value))).toBe(true);
        expect(matchesEventPattern(field({ suffix: tail }), withF(value))).toBe(true);
      }),
    );
  });

  test('a wildcard matches whatever its stars stand for', () => {
    const literal = fc.string({ maxLength: 5 });
    fc.assert(
      // The middle piece cannot be empty: "**" is refused.
      fc.property(literal, fc.string({ minLength: 1, maxLength: 5 }), literal, literal, (a, b, c, filler) => {
        const escape = (s: string): string => s.replace(/[\\*]/g, '\\$&');
        const wildcard = `${escape(a)}*${escape(b)}*${escape(c)}`;
        fc.pre(wildcardComplexity([wildcard]) <= 10);
        expect(matchesEventPattern(field({ wildcard }), withF(a + filler + b + c))).toBe(true);
        expect(matchesEventPattern(field({ wildcard: escape(a + b) }), withF(a + b))).toBe(true);
        expect(matchesEventPattern(field({ wildcard: escape(a + b) }), withF(`${a}${b}x`))).toBe(false);
      }),
    );
  });

  test('equals-ignore-case matches any casing of an ASCII string', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aBcD-1 é'.split('')) }), fc.array(fc.boolean()), (text, flips) => {
        const recased = [...text].map((ch, i) => (flips[i] ? ch.toUpperCase() : ch.toLowerCase())).join('');
        expect(matchesEventPattern(field({ 'equals-ignore-case': text }), withF(recased))).toBe(true);
        expect(matchesEventPattern(field({ 'equals-ignore-case': text }), withF(`${recased}x`))).toBe(false);
      }),
    );
  });

  test('numeric ranges agree with plain comparisons', () => {
    const n = fc.integer({ min: -1000, max: 1000 });
    fc.assert(
      fc.property(n, n, n, (x, lo, hi) => {
        fc.pre(lo < hi);
        expect(matchesEventPattern(field({ numeric: ['>', lo, '<=', hi] }), withF(x))).toBe(x > lo && x <= hi);
        expect(matchesEventPattern(field({ numeric: ['>=', lo, '<', hi] }), withF(x))).toBe(x >= lo && x < hi);
        expect(matchesEventPattern(field({ numeric: ['=', lo] }), withF(x))).toBe(x === lo);
        expect(matchesEventPattern(field({ numeric: ['=', lo] }), withF(String(x)))).toBe(false);
      }),
    );
  });

  test('cidr matches exactly the addresses sharing the network bits', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.tuple(octet, octet, octet, octet), fc.integer({ min: 0, max: 31 }), (net, ip, bits) => {
        const toInt = (o: number[]): number => o.reduce((acc, x) => acc * 256 + x, 0);
        const mask = bits === 0 ? 0 : (2 ** 32 - 2 ** (32 - bits));
        const network = Number(BigInt(toInt(net)) & BigInt(mask));
        const dotted = (v: number): string => [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
        const pattern = field({ cidr: `${dotted(network)}/${bits}` });
        const inside = Number(BigInt(toInt(ip)) & BigInt(mask)) === network;
        expect(matchesEventPattern(pattern, withF(ip.join('.')))).toBe(inside);
      }),
    );
  });

  test('$or matches exactly when one of its alternatives does', () => {
    const small = fc.constantFrom('x', 'y', 1, null);
    fc.assert(
      fc.property(small, small, fc.record({ a: small, b: small }, { requiredKeys: [] }), (va, vb, detail) => {
        const a = { a: [va] };
        const b = { b: [{ 'anything-but': vb ?? 'y' }] };
        const event = { detail };
        expect(matchesEventPattern({ detail: { $or: [a, b] } }, event)).toBe(
          matchesEventPattern({ detail: a }, event) || matchesEventPattern({ detail: b }, event),
        );
      }),
    );
  });
});
