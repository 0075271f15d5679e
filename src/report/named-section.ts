/**
 * A section of index.html over named counts (event types, browsers, languages, …).
 */
import type { NamedCount } from './report-types.js';
import { dataTable, downloadNote, namedCountColumns, namedCountRows, truncationNote } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';
import type { COURSES_CSV, CsvFileName } from './report-format.js';

/** A lead, a figure, the first `maxRows` counts with their share of learners, and a link to the CSV. */
export function namedSection(
  id: string,
  heading: string,
  leadText: string,
  nameHeader: string,
  counts: readonly NamedCount[],
  learners: number,
  csv: CsvFileName | typeof COURSES_CSV,
  maxRows: number,
  figure: string,
): PageSection {
  const shown = counts.slice(0, maxRows);
  return section(
    id,
    heading,
    [
      lead(leadText),
      figure,
      dataTable(namedCountColumns(nameHeader), namedCountRows(shown, learners)),
      truncationNote(shown.length, counts.length, csv) + downloadNote(csv),
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
