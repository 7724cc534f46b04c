/**
 * The one capacity rule (DOMAIN: an employee holds at most customerCapacity
 * customers): free capacity = capacity − active customers − reserved (capacity
 * promised but not yet held, e.g. transfers waiting to arrive), never below 0.
 */
export function freeCapacity(e: { customerCapacity: number; activeCustomerCount: number }, reserved: number): number {
  return Math.max(e.customerCapacity - e.activeCustomerCount - reserved, 0);
}
