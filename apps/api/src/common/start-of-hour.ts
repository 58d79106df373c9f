/**
 * The start of the hour an instant falls in: the precision Nolan keeps for anything a reporter does
 * (issue #5, "no exact submission time"); the SLA clocks only need the day.
 */
export function startOfHour(instant: Date): Date {
  const hour = new Date(instant);
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}
