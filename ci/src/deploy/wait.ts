/** Bounded polling: every wait in the engine has a deadline and says what it saw last. */
import type { Clock } from "../core/checks/run.js";

export type Poll<T> = { done: true; value: T } | { done: false; detail: string };

/** Poll `fn` every `intervalMs` until it is done or `timeoutMs` passed; returns the last detail on timeout. */
export async function pollUntil<T>(clock: Clock, timeoutMs: number, intervalMs: number, fn: () => Promise<Poll<T>>, onWait?: (detail: string) => void): Promise<Poll<T>> {
  const deadline = clock.monotonicMs() + timeoutMs;
  let lastSaid = "";
  for (;;) {
    const last = await fn();
    if (last.done) return last;
    if (onWait && last.detail !== lastSaid) {
      onWait(last.detail);
      lastSaid = last.detail;
    }
    if (clock.monotonicMs() + intervalMs > deadline) return last;
    await clock.sleep(intervalMs);
  }
}
