/**
 * The file that makes a directory a demo directory: `clickstream demo --force` replaces only a
 * directory holding it (written last, so only a complete demo has it).
 */
export const DEMO_MARKER = 'clickstream-demo.json';

/** What the marker says: which tool and version wrote the demo, from which seed and size. */
export interface DemoMarker {
  tool: { name: 'clickstream'; version: string };
  kind: 'demo';
  seed: string;
  /** Text bytes asked of each export. */
  bytes: number;
  createdAt: string;
}

/** Whether a parsed JSON value is a demo marker. */
export function isDemoMarker(value: unknown): value is DemoMarker {
  const v = value as Partial<DemoMarker> | null;
  return typeof v === 'object' && v !== null && v.kind === 'demo' && v.tool?.name === 'clickstream';
}
