const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Sizes for people: `1.4 MiB` rather than `1468006`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
