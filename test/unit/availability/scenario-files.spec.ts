// The engine against the reference on the shared scenario files (copied into test/fixtures).
import { computeSlots } from '@domain/availability/slot-engine.js';
import { readScenario, toSlotQuery } from '../../../bench/scenario.js';
import { referenceSlots } from './reference-slot-engine.js';

const fixture = (name: string) => toSlotQuery(readScenario(`test/fixtures/slots-scenarios/${name}.json`));

describe('scenario files', () => {
  test('A (one Paris host, 30 days, 200 busy items): engine equals reference', () => {
    const query = fixture('A');
    const slots = computeSlots(query);
    expect(slots.length).toBeGreaterThan(100);
    expect(slots).toEqual(referenceSlots(query));
  });

  test('B (100-host pool in 5 zones): engine equals reference', () => {
    const query = fixture('B');
    const slots = computeSlots(query);
    expect(slots.length).toBeGreaterThan(1000);
    expect(slots).toEqual(referenceSlots(query));
  });
});
