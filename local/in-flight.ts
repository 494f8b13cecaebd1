// Runs `work(i)` for every i below `count`, at most `limit` at a time: each worker takes the next
// index when it finishes one (a closed loop, like wrk with that many connections), so a slow item
// holds up one worker, not a batch.
export async function forEachInFlight(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await work(i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}
