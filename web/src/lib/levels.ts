// Levels as the database computes them (level = floor(sqrt(xp / 100)) + 1), for the XP bar.

/** Total XP at which a level starts: 100 * (level - 1)^2 (level 3 → 400), as xp_for_level(). */
export function xpForLevel(level: number): number {
  const l = Math.max(1, Math.floor(level));
  return 100 * (l - 1) ** 2;
}

export function levelForXp(xp: number): number {
  return Math.floor(Math.sqrt(Math.max(0, xp) / 100)) + 1;
}

export interface LevelProgress {
  level: number;
  xp: number;
  /** XP where this level started and where the next begins. */
  floor: number;
  ceiling: number;
  /** XP earned inside the level and still needed for the next. */
  into: number;
  toNext: number;
  /** 0–100, for a progress bar. */
  percent: number;
}

export function levelProgress(xp: number): LevelProgress {
  const total = Math.max(0, Math.floor(xp));
  const level = levelForXp(total);
  const floor = xpForLevel(level);
  const ceiling = xpForLevel(level + 1);
  const into = total - floor;
  return { level, xp: total, floor, ceiling, into, toNext: ceiling - total, percent: Math.min(100, (into / (ceiling - floor)) * 100) };
}
