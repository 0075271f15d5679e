/**
 * Every command's option table, in the README's order: the list the README generator
 * (./options-markdown.ts) and its test walk, so a new command's options reach the README by adding
 * its table here.
 */
import { ANALYZE_COMMAND } from './analyze-command.js';
import { CATALOG_CRAWL_COMMAND, CATALOG_REPORT_COMMAND, CATALOG_SERVE_FIXTURE_COMMAND } from './catalog-command.js';
import { COMPARE_COMMAND } from './compare-command.js';
import { CONVERT_COMMAND } from './convert-command.js';
import { DEMO_COMMAND } from './demo-command.js';
import { GENERATE_COMMAND } from './generate-command.js';
import type { CommandSpec } from './option-table.js';
import { WORKER_COMMAND } from './worker-command.js';

export const COMMANDS: readonly CommandSpec[] = [
  DEMO_COMMAND,
  GENERATE_COMMAND,
  CONVERT_COMMAND,
  ANALYZE_COMMAND,
  COMPARE_COMMAND,
  WORKER_COMMAND,
  CATALOG_CRAWL_COMMAND,
  CATALOG_REPORT_COMMAND,
  CATALOG_SERVE_FIXTURE_COMMAND,
];
