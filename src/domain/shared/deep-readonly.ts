// A type that lends a value to read without a copy: nothing in it can be changed through it (Dates stay Dates).
export type DeepReadonly<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
