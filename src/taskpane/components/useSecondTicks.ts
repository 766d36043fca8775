import { useEffect, useState } from "react";

/**
 * Re-renders on each whole second before `anchor` (ms since epoch) — when "retrying in 3 s" must
 * become "2 s" — and then every second; nothing while `anchor` is undefined. The caller reads
 * Date.now() as it renders, so a countdown is right from its first frame.
 */
export function useSecondTicks(anchor: number | undefined) {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (anchor === undefined) return undefined;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const left = (anchor - Date.now()) % 1000;
      // A few ms past the boundary, so Math.ceil has already moved on when the row renders.
      const delay = (left > 0 ? left : 1000 + left) + 5;
      timer = setTimeout(() => {
        setTick((n) => n + 1);
        schedule();
      }, delay);
    };
    schedule();
    return () => clearTimeout(timer);
  }, [anchor]);
}
