/**
 * index.html's "Videos" section.
 */
import type { Report } from './report-types.js';
import { formatSeconds } from './duration-text.js';
import { dataTable, dataText, downloadNote, escapeHtml, int, namedCountColumns, namedCountRows, share, truncationNote } from './html-parts.js';
import { lead, section, type PageSection } from './page-section.js';

/** Lectures with their viewers and actions, then the actions and playback rates overall. */
export function videosSection(report: Report, maxRows: number, figure: string): PageSection {
  const { video, users } = report.summary;
  const shown = report.videos.slice(0, maxRows);
  const table = dataTable(
    [
      { header: 'lecture' },
      { header: 'events', numeric: true },
      { header: 'viewers', numeric: true },
      { header: 'play', numeric: true },
      { header: 'pause', numeric: true },
      { header: 'seeked', numeric: true },
      { header: 'rate change', numeric: true },
      { header: 'other', numeric: true },
      { header: 'median furthest position', numeric: true },
    ],
    shown.map((v) => [
      dataText(v.lecture),
      int(v.events),
      int(v.viewers),
      int(v.play),
      int(v.pause),
      int(v.seeked),
      int(v.ratechange),
      int(v.other),
      v.medianFurthestSeconds === null ? '–' : escapeHtml(formatSeconds(v.medianFurthestSeconds)),
    ]),
  );
  const actions = dataTable(namedCountColumns('action'), namedCountRows(video.actions, users), '', 'Video actions');
  const rates = dataTable(
    [{ header: 'playback rate', numeric: true }, { header: 'events', numeric: true }, { header: 'learners', numeric: true }],
    video.playbackRates.map((r) => [escapeHtml(String(r.rate)), int(r.events), int(r.users)]),
    '',
    'Playback rates set',
  );
  return section(
    'videos',
    'Videos',
    [
      lead(
        `${int(video.events)} video events by ${int(video.viewers)} learners (${share(video.viewers, users)}) on ${int(video.lectures)} known lectures. Median furthest position: over the lecture's viewers with a position, the median of each one's furthest point.`,
      ),
      figure,
      table,
      truncationNote(shown.length, report.videos.length, 'videos.csv') + downloadNote('videos.csv'),
      `<div class="side">\n${actions}\n${rates}\n</div>`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
