/**
 * A value that starts with "-" (an identifier can) cannot follow its flag as a separate argument:
 * the parser reads it as a flag. The error says how to pass it, and never echoes the value.
 */
import fc from 'fast-check';
import { defineCommand, parseCommand, UsageError } from '../../../scripts/cli';

const spec = defineCommand({
  name: 'npm run privacy',
  summary: 'test spec',
  flags: { 'user-id': { type: 'string', value: 'ID', description: 'the customer' } },
  examples: [],
});

const dashed = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `-${s.replace(/=/g, '')}x`);

describe('a flag value that starts with "-"', () => {
  it('is read whole in the --flag=value form', () => {
    fc.assert(fc.property(dashed, (id) => expect(parseCommand(spec, [`--user-id=${id}`]).values['user-id']).toBe(id)));
  });

  it('the reported case: --user-id -a.a@aa.com', () => {
    expect(() => parseCommand(spec, ['--user-id', '-a.a@aa.com'])).toThrow('--user-id needs a value (ID); a value that starts with "-" is written --user-id=ID');
  });

  it('as a separate argument: a usage error that names the --flag=value form and does not echo the value', () => {
    fc.assert(
      fc.property(dashed.filter((id) => !id.startsWith('--user-id') && !['-h', '--help'].includes(id)), (id) => {
        let error: unknown;
        try {
          parseCommand(spec, ['--user-id', id]);
        } catch (e) {
          error = e;
        }
        // parseArgs may read some dashed values as flags of their own (unknown flag): still a usage error.
        expect(error).toBeInstanceOf(UsageError);
        const message = (error as Error).message;
        if (/needs a value/.test(message)) expect(message).toBe('--user-id needs a value (ID); a value that starts with "-" is written --user-id=ID');
        if (id.length > 3) expect(message).not.toContain(id);
      }),
    );
  });
});
