/**
 * What the local stand-ins need from a newer Node than ours. aws-local-stepfunctions 3 declares
 * Node >= 22 for one call, `Promise.withResolvers` (Node 22, ES2024), made when a Task runs; on
 * Node 20 it is added here. Import this module before the library (local/timers.ts does).
 */
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };

const P = Promise as unknown as PromiseConstructor & { withResolvers?: WithResolvers };
if (typeof P.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
