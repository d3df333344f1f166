/**
 * The IAM actions a store port declares (beside its adapter) are the DynamoDB commands its adapter
 * sends, no fewer (the function would be denied in AWS, where no emulator checks IAM) and no more
 * (least privilege). Read from the adapter's source: its own commands and those of the shared
 * helpers it calls (batch reads and writes, tombstones).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_ACTIONS, actionsOfPorts, type StorePort } from '../../../shared/adapters/store-actions';

const ADAPTERS = join(__dirname, '..', '..', '..', 'shared', 'adapters');
const source = (file: string) => readFileSync(join(ADAPTERS, `${file}.ts`), 'utf8');

/** `new GetCommand(` → `dynamodb:GetItem`, `new QueryCommand(` → `dynamodb:Query`. */
const actionOfCommand = (command: string) => `dynamodb:${['Query', 'Scan'].includes(command) ? command : `${command}Item`}`;
const commandsIn = (text: string) => [...text.matchAll(/new (\w+)Command\(/g)].map((m) => actionOfCommand(m[1]));

/** The helpers stores call, and what each sends (checked against their own source below). */
const HELPERS: Record<string, { file: string; actions: string[] }> = {
  batchGet: { file: 'dynamo', actions: ['dynamodb:BatchGetItem'] },
  batchWrite: { file: 'dynamo', actions: ['dynamodb:BatchWriteItem'] },
  readTombstone: { file: 'dynamo-tombstones', actions: ['dynamodb:GetItem'] },
  writeTombstone: { file: 'dynamo-tombstones', actions: ['dynamodb:PutItem'] },
};

function sentBy(file: string): string[] {
  const text = source(file);
  const viaHelpers = Object.entries(HELPERS).flatMap(([name, h]) => (new RegExp(`\\b${name}\\(`).test(text) ? h.actions : []));
  return [...new Set([...commandsIn(text), ...viaHelpers])].sort();
}

const FILE_OF: Record<Exclude<StorePort, 'guards'>, string> = {
  profiles: 'dynamo-profile-store',
  states: 'dynamo-state-store',
  notify: 'dynamo-notify-store',
  customers: 'dynamo-customer-items',
};

test('the helpers send what the map above says', () => {
  expect(sentBy('dynamo')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']);
  expect(sentBy('dynamo-tombstones')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
});

test.each(Object.entries(FILE_OF))('the %s port declares exactly what %s sends', (port, file) => {
  expect([...STORE_ACTIONS[port as StorePort]].sort()).toEqual(sentBy(file));
});

test('the guards read profiles through the profile store: its batch read only', () => {
  expect(STORE_ACTIONS.guards).toEqual(['dynamodb:BatchGetItem']);
  expect(STORE_ACTIONS.profiles).toEqual(expect.arrayContaining([...STORE_ACTIONS.guards]));
});

test('a function using several ports is granted each action once', () => {
  expect(actionsOfPorts(['states', 'guards'])).toEqual(['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem']);
});
