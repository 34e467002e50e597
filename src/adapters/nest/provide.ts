// Nest providers built from a constructor and its dependencies, each named once. The dependency list is
// typed from the constructor's own parameters, so a missing, extra or swapped dependency fails `tsc`.
import type { FactoryProvider, InjectionToken } from '@nestjs/common';

/** A class used as a DI token; an abstract port stands for its instance type. */
export type Token<T> = abstract new (...args: never[]) => T;

/** A constructor argument Nest does not provide: configuration known when the module is built. */
export class Given<T> {
  constructor(readonly value: T) {}
}

export function given<T>(value: T): Given<T> {
  return new Given(value);
}

/** One token (or given value) per constructor parameter, in the constructor's order. */
export type Dependencies<P extends readonly unknown[]> = { [K in keyof P]: Token<P[K]> | Given<P[K]> };

type Concrete<T> = new (...args: never[]) => T;

/** `Port` provided by a new `Adapter(...dependencies)`. */
export function bind<T, C extends Concrete<T>>(
  provide: Token<T>,
  adapter: C,
  dependencies: Dependencies<ConstructorParameters<C>>,
): FactoryProvider<T> {
  return provider(provide, adapter, dependencies);
}

/** A class provided by itself: `new Class(...dependencies)`. */
export function construct<C extends Concrete<object>>(
  type: C,
  dependencies: Dependencies<ConstructorParameters<C>>,
): FactoryProvider<InstanceType<C>> {
  return provider(type, type, dependencies) as FactoryProvider<InstanceType<C>>;
}

function provider<T>(
  provide: Token<T>,
  adapter: Concrete<T>,
  dependencies: readonly unknown[],
): FactoryProvider<T> {
  return {
    provide,
    inject: dependencies.filter((d) => !(d instanceof Given)) as InjectionToken[],
    useFactory: (...resolved: unknown[]) => {
      let next = 0;
      const args = dependencies.map((d) => (d instanceof Given ? d.value : resolved[next++]));
      return new adapter(...(args as never[]));
    },
  };
}

type Instances<D extends readonly Token<unknown>[]> = {
  [K in keyof D]: D[K] extends Token<infer T> ? T : never;
};

/**
 * For the rare provider that is more than one constructor call (a decorator around an inner adapter): the
 * factory's parameters are typed from the tokens, so they are named once too.
 */
export function compose<T, D extends readonly Token<unknown>[]>(
  provide: Token<T>,
  dependencies: [...D],
  make: (...resolved: Instances<D>) => T,
): FactoryProvider<T> {
  return {
    provide,
    inject: [...dependencies] as InjectionToken[],
    useFactory: make as (...args: unknown[]) => T,
  };
}
