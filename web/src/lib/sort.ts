/** Extensions in natural order ("1002" before "1010", "8001" after "999"), whatever their length. */
export function compareExtensions(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}
