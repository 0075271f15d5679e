/**
 * The chart font files and the text of a chart configuration made drawable in them: every
 * character the font lacks becomes a visible `?`, counted so the report can say so.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartConfiguration } from 'chart.js';
import { drawableText, fontCoverage, type GlyphCoverage } from './glyph-coverage.js';

/** The weights the charts are drawn in: bold for titles, regular for everything else. */
export type ChartFontWeight = 'regular' | 'bold';

const FONT_FILES: Record<ChartFontWeight, string> = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' };

/** Absolute path of the DejaVu Sans file of `weight`, from the `dejavu-fonts-ttf` package. */
export function chartFontPath(weight: ChartFontWeight): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', FONT_FILES[weight]);
}

const coverages = new Map<ChartFontWeight, GlyphCoverage>();

/** The code points the chart font of `weight` can draw (read once from its cmap table). */
export function chartFontCoverage(weight: ChartFontWeight = 'regular'): GlyphCoverage {
  let coverage = coverages.get(weight);
  if (coverage === undefined) {
    coverage = fontCoverage(readFileSync(chartFontPath(weight)));
    coverages.set(weight, coverage);
  }
  return coverage;
}

/** A chart configuration with its text made drawable, and how many characters were replaced. */
export interface DrawableConfig<C> {
  config: C;
  /** Characters the fonts lack, drawn as `?`, over every text of the configuration. */
  undrawable: number;
}

type Text = string | string[] | readonly string[];

/**
 * `config` with every text Chart.js draws from it — the title (bold), subtitle, category labels,
 * series names and axis titles — passed through {@link drawableText}. Pure: `config` is not
 * changed. Text drawn by plugins is numbers and fixed words and is not looked at.
 */
export function drawableConfig<C extends ChartConfiguration<any, any, any>>(config: C): DrawableConfig<C> {
  let undrawable = 0;
  const fix = <T extends Text | undefined>(text: T, weight: ChartFontWeight = 'regular'): T => {
    if (text === undefined) return text;
    const coverage = chartFontCoverage(weight);
    const one = (s: string): string => {
      const d = drawableText(s, coverage);
      undrawable += d.missing;
      return d.text;
    };
    return (typeof text === 'string' ? one(text) : text.map(one)) as T;
  };
  const data = config.data ?? { datasets: [] };
  const options = config.options ?? {};
  const plugins = options.plugins ?? {};
  const scales: Record<string, any> = {};
  for (const [id, scale] of Object.entries<any>(options.scales ?? {})) {
    scales[id] = scale?.title?.text !== undefined ? { ...scale, title: { ...scale.title, text: fix(scale.title.text as Text) } } : scale;
  }
  const fixed = {
    ...config,
    data: {
      ...data,
      ...(data.labels !== undefined ? { labels: data.labels.map((l: unknown) => (typeof l === 'string' || Array.isArray(l) ? fix(l as Text) : l)) } : {}),
      datasets: data.datasets.map((d: { label?: string }) => (d.label !== undefined ? { ...d, label: fix(d.label) } : d)),
    },
    options: {
      ...options,
      plugins: {
        ...plugins,
        ...(plugins.title ? { title: { ...plugins.title, text: fix(plugins.title.text as Text, 'bold') } } : {}),
        ...(plugins.subtitle ? { subtitle: { ...plugins.subtitle, text: fix(plugins.subtitle.text as Text) } } : {}),
      },
      scales,
    },
  } as C;
  return { config: fixed, undrawable };
}
