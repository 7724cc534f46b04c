/**
 * How the demo seed spreads service calls over the database pool: one lane per
 * employee (each employee's calls run in order, as they would in real life, and
 * the services lock the employee row anyway), up to `lanes` employees at once.
 * The data written does not depend on the interleaving: every random choice
 * is made beforehand in the plan.
 */
export const SEED_LANES = 8;

export async function perEmployee<T>(
  items: readonly T[],
  employeeOf: (item: T) => string,
  work: (item: T) => Promise<void>,
  lanes = SEED_LANES,
): Promise<void> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = employeeOf(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  // Longest queues first, so the lanes finish together.
  const queue = [...groups.values()].sort((a, b) => b.length - a.length);
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    for (let group = queue.shift(); group && !failure; group = queue.shift()) {
      for (const item of group) {
        if (failure) return;
        try {
          await work(item);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  // Every lane stops at the first failure; the step fails once all have stopped (nothing keeps writing behind it).
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, queue.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
