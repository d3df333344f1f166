/**
 * The DynamoDB actions of each store port, by the port's name on `runtime.stores`: each list is
 * declared beside its adapter, so a store that starts sending a new command changes its own list
 * and every function that uses the port is granted it (infra/lib/store-grants.ts).
 */
import { CUSTOMER_ITEMS_ACTIONS } from './dynamo-customer-items';
import { NOTIFY_STORE_ACTIONS } from './dynamo-notify-store';
import { GUARD_READER_ACTIONS, PROFILE_STORE_ACTIONS } from './dynamo-profile-store';
import { STATE_STORE_ACTIONS } from './dynamo-state-store';
import type { Stores } from './runtime';

export type StorePort = keyof Stores;

export const STORE_ACTIONS: Readonly<Record<StorePort, readonly string[]>> = {
  profiles: PROFILE_STORE_ACTIONS,
  states: STATE_STORE_ACTIONS,
  guards: GUARD_READER_ACTIONS,
  notify: NOTIFY_STORE_ACTIONS,
  customers: CUSTOMER_ITEMS_ACTIONS,
};

/** The actions a function that uses these ports needs, each once, sorted. */
export const actionsOfPorts = (ports: readonly StorePort[]): string[] => [...new Set(ports.flatMap((p) => STORE_ACTIONS[p]))].sort();
