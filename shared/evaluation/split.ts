/**
 * Splitting by customer, never by event or session: a customer's sessions all land on one side,
 * so what is learned from a customer is never judged on the same customer.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * `true` for the customers in the training part: a seeded shuffle of the customer indices (in
 * order of first appearance in the history), the first round(fraction × n) of them.
 */
export function splitCustomers(customers: number, trainFraction: number, seed: number): Uint8Array {
  const rng = xoroshiro128plus(seed);
  const order = Array.from({ length: customers }, (_, i) => i);
  for (let i = customers - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const train = new Uint8Array(customers);
  const nTrain = Math.round(trainFraction * customers);
  for (let k = 0; k < nTrain; k++) train[order[k]] = 1;
  return train;
}
