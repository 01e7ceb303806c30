const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A byte count as a person reads it: `512 bytes`, `1.5 MiB`, `2 GiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? value : Math.round(value * 10) / 10;
  return `${rounded} ${UNITS[unit]}`;
}
