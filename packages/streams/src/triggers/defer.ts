/**
 * Runs `callback` in a later macrotask: after the writer that woke the trigger has resumed, so even a
 * handler that computes synchronously for a long time never delays a write's caller. setImmediate in Node
 * (microseconds), a MessageChannel message in browsers, setTimeout as the last resort.
 */
export const defer: (callback: () => void) => void = (() => {
  const g = globalThis as {
    setImmediate?: (callback: () => void) => unknown;
    MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(value: unknown): void } };
  };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return (callback: () => void) => void setImmediate(callback);
  }
  if (typeof g.MessageChannel === 'function') {
    const queue: (() => void)[] = [];
    const channel = new g.MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
    return (callback: () => void) => {
      queue.push(callback);
      channel.port2.postMessage(undefined);
    };
  }
  return (callback: () => void) => void setTimeout(callback, 0);
})();
