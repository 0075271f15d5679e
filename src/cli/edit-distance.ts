/**
 * How far apart two words are, for "did you mean …?" suggestions: the optimal string alignment
 * form of the Damerau-Levenshtein distance (insertions, deletions, substitutions and swaps of two
 * neighbours each cost 1; a substring is never edited twice), which catches the usual typing
 * slips (`--ouput`, `--froce`).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[rows - 1]![cols - 1]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be what was meant: within a third of
 * the word's length (1 edit for words of up to 3 letters, else at least 2), or the one starting with it or that it starts with
 * (`--output` for `--out`). Ties go to the earlier candidate. Undefined when none is close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word, name);
    const prefix = word.length >= 2 && name.length >= 2 && (name.startsWith(word) || word.startsWith(name));
    const near = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
    if (distance > near && !prefix) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}

/** `did you mean x?` when a candidate is close to `word`, else `otherwise`: the end of an "unknown command" message. */
export function didYouMean(word: string, candidates: readonly string[], otherwise: string): string {
  const near = closest(word, candidates);
  return near === undefined ? otherwise : `did you mean ${near}?`;
}
