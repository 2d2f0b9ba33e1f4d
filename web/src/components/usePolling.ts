import { useEffect, useRef } from 'react';

/**
 * Calls `tick` every `ms` while the page is visible; when the page becomes visible again it ticks
 * at once and starts over. A hidden tab makes no requests.
 */
export function usePolling(tick: () => void, ms: number) {
  const ref = useRef(tick);
  ref.current = tick;
  useEffect(() => {
    let timer: number | undefined;
    const stop = () => {
      if (timer !== undefined) window.clearInterval(timer);
      timer = undefined;
    };
    const start = () => {
      stop();
      timer = window.setInterval(() => ref.current(), ms);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        ref.current();
        start();
      } else stop();
    };
    if (document.visibilityState === 'visible') start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ms]);
}
