// The typed wiring helper: a provider built from a constructor and its tokens resolves through Nest, and a
// dependency list that does not match the constructor (order, type, count) does not compile — the
// `@ts-expect-error` lines below fail `npm run lint` (tsc) the day the helper stops checking.
import { Test } from '@nestjs/testing';
import { bind, compose, construct, given } from '@adapters/nest/provide.js';

abstract class Clock {
  abstract now(): Date;
}
class FixedClock extends Clock {
  now(): Date {
    return new Date('2030-01-01T00:00:00Z');
  }
}
abstract class Greetings {
  abstract greet(name: string): string;
}
class Greeter extends Greetings {
  constructor(
    private readonly clock: Clock,
    private readonly prefix: string,
  ) {
    super();
  }
  greet(name: string): string {
    return `${this.prefix} ${name} at ${this.clock.now().toISOString()}`;
  }
}
class Reception {
  constructor(
    readonly greetings: Greetings,
    readonly clock: Clock,
  ) {}
}

describe('typed providers', () => {
  it('builds each class from its tokens and given values, in the constructor order', async () => {
    const module = await Test.createTestingModule({
      providers: [
        bind(Clock, FixedClock, []),
        bind(Greetings, Greeter, [Clock, given('Hello')]),
        construct(Reception, [Greetings, Clock]),
      ],
    }).compile();
    const reception = module.get(Reception);
    expect(reception.greetings.greet('Ada')).toBe('Hello Ada at 2030-01-01T00:00:00.000Z');
    expect(reception.clock).toBe(module.get(Clock));
  });

  it('composes a provider whose factory parameters are typed from the tokens', async () => {
    const module = await Test.createTestingModule({
      providers: [
        bind(Clock, FixedClock, []),
        compose(Greetings, [Clock], (clock) => new Greeter(clock, `Year ${clock.now().getUTCFullYear()}:`)),
      ],
    }).compile();
    expect(module.get(Greetings).greet('Bo')).toMatch(/^Year 2030: Bo/);
  });
});

/** Never run: `tsc` checks that each of these lists is refused. */
export function mismatchesRefusedByTheCompiler(): void {
  // Swapped order.
  // @ts-expect-error Clock is not a Greetings, Greetings is not a Clock
  construct(Reception, [Clock, Greetings]);
  // Missing dependency.
  // @ts-expect-error Reception takes two
  construct(Reception, [Greetings]);
  // A given value of the wrong type.
  // @ts-expect-error the prefix is a string
  bind(Greetings, Greeter, [Clock, given(42)]);
  // An adapter that is not the port.
  // @ts-expect-error a Reception is not a Greetings
  bind(Greetings, Reception, [Greetings, Clock]);
  // A factory parameter used as the wrong type.
  // @ts-expect-error the token gives a Clock, not a Greetings
  compose(Greetings, [Clock], (clock: Greetings) => clock);
}
