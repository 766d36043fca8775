// The bandwidth cap's budget decisions, on a fake clock: connections sharing the link queue behind
// each other (together they get the cap), per-connection budgets do not, an idle link saves up no
// burst, and the cap is read live from the config.
import { Bandwidth, Budget } from "../../../dev/graph-emulator/bandwidth";
import { DEFAULT_FAULTS, type FaultConfig } from "../../../dev/graph-emulator/config";

const MB = 1024 * 1024;

function link(faults: Partial<FaultConfig>) {
  let now = 1_000_000;
  const config: FaultConfig = { ...DEFAULT_FAULTS, ...faults };
  const bandwidth = new Bandwidth(
    () => config,
    () => now
  );
  return {
    bandwidth,
    config,
    advance: (ms: number) => (now += ms),
  };
}

test("a Budget books reservations back to back: bytes / rate each, waits counted from now", () => {
  let now = 0;
  const budget = new Budget(() => now);
  expect(budget.reserve(100_000, 1_000_000)).toBe(100);
  expect(budget.reserve(100_000, 1_000_000)).toBe(200);
  now = 150;
  expect(budget.reserve(50_000, 1_000_000)).toBe(100); // the link is busy until 200, then 50 ms
});

test("an idle link saves up no burst: after a long pause the next bytes still take bytes / rate", () => {
  let now = 0;
  const budget = new Budget(() => now);
  budget.reserve(100_000, 1_000_000);
  now = 60_000;
  expect(budget.reserve(100_000, 1_000_000)).toBe(100);
  expect(budget.reserve(100_000, 1_000_000)).toBe(200);
});

test("a step that comes a few ms late (a timer that overslept) continues the schedule: no rate lost", () => {
  let now = 0;
  const budget = new Budget(() => now);
  expect(budget.reserve(100_000, 1_000_000)).toBe(100);
  now = 105; // woke 5 ms after the link fell idle
  expect(budget.reserve(100_000, 1_000_000)).toBe(95);
});

test("shared (the default): three connections taking turns get the cap together, not three times it", () => {
  const { bandwidth } = link({ bandwidthBytesPerSec: 2 * MB });
  const connections = [{}, {}, {}];
  const slice = bandwidth.sliceBytes();
  let lastDue = 0;
  // Each connection books one slice per turn, round robin, as three uploads in parallel do.
  for (let turn = 0; turn < 10; turn++)
    for (const connection of connections) lastDue = bandwidth.wait(connection, "up", slice);
  const moved = 30 * slice;
  expect(lastDue).toBeCloseTo((moved / (2 * MB)) * 1000, 6); // 30 slices at 2 MB/s in all
});

test('"connection": each connection has its own budget, so three move three times the cap', () => {
  const { bandwidth } = link({ bandwidthBytesPerSec: 2 * MB, bandwidthScope: "connection" });
  const connections = [{}, {}, {}];
  const slice = bandwidth.sliceBytes();
  const due = new Map<object, number>();
  for (let turn = 0; turn < 10; turn++)
    for (const connection of connections)
      due.set(connection, bandwidth.wait(connection, "up", slice));
  for (const connection of connections)
    expect(due.get(connection)).toBeCloseTo(((10 * slice) / (2 * MB)) * 1000, 6);
});

test("uploads and downloads are separate directions of the link", () => {
  const { bandwidth } = link({ bandwidthBytesPerSec: MB });
  const connection = {};
  expect(bandwidth.wait(connection, "up", MB / 10)).toBeCloseTo(100, 6);
  expect(bandwidth.wait(connection, "down", MB / 10)).toBeCloseTo(100, 6);
  expect(bandwidth.wait({}, "up", MB / 10)).toBeCloseTo(200, 6); // another connection, same uplink
});

test("the cap is read live: lifting it lets bytes through at once, a new cap applies to the next step", () => {
  const { bandwidth, config, advance } = link({ bandwidthBytesPerSec: MB });
  const connection = {};
  expect(bandwidth.wait(connection, "up", MB)).toBeCloseTo(1000, 6);
  config.bandwidthBytesPerSec = 0;
  expect(bandwidth.wait(connection, "up", MB)).toBe(0);
  expect(bandwidth.sliceBytes()).toBe(Infinity);
  config.bandwidthBytesPerSec = 4 * MB;
  advance(1000); // the first megabyte has passed
  expect(bandwidth.wait(connection, "up", MB)).toBeCloseTo(250, 6);
  expect(bandwidth.sliceBytes()).toBe(Math.floor((4 * MB) / 20));
});
